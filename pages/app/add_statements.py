"""Add statements: the review page for extracted candidates. Declared only when curating is on.

Paste or upload an article, name its source and publication date, review the candidates (weakest first),
edit them, choose the ones to keep and write them. The logic is in ``routestatus.curate``.
"""

import streamlit as st

from routestatus import curate
from routestatus.isodate import not_a_day, parse_day
from routestatus.paths import resolve_root
from routestatus.textsafe import md_escape

CANDIDATES, RESULT = "add_candidates", "add_result"
NEW_SOURCE = "A new source"

root = resolve_root()
allowed = curate.choices(root)
st.title("Add statements")
st.caption(
    "Curating is on: rows accepted here are validated and then written to data/statements.csv "
    "(and data/sources.csv). Every candidate is a guess by the extractor; check each against the text."
)

if result := st.session_state.pop(RESULT, None):
    st.success(result, icon=":material/check:")

text = st.text_area("Article text (plain text)", key="add_text", height=220)
upload = st.file_uploader("Or upload the article as a UTF-8 .txt file", type=["txt"], key="add_upload")
if upload is not None:
    raw = upload.getvalue()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        st.error(f"{upload.name}: not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})")
        text = ""

mode = st.radio("Source", ["An existing source", NEW_SOURCE], key="add_source_mode", horizontal=True)
new_source = None
if mode == NEW_SOURCE:
    left, right = st.columns(2)
    new_source = {
        "source_id": left.text_input("source_id", key="add_src_id", placeholder="publisher-2023-09-12"),
        "title": right.text_input("title", key="add_src_title"),
        "publisher": left.text_input("publisher", key="add_src_publisher"),
        "url": right.text_input("url", key="add_src_url", placeholder="https://…"),
        "published": left.text_input("published (YYYY-MM-DD, may be blank)", key="add_src_published"),
        "kind": right.selectbox("kind", allowed["kind"], key="add_src_kind"),
        "notes": st.text_input("notes", key="add_src_notes"),
    }
    source_id, archived = new_source["source_id"].strip(), ""
    default_day = new_source["published"].strip()
else:
    source_id = st.selectbox("source_id", allowed["source_id"], index=None, key="add_source_id") or ""
    row = curate.source_row(root, source_id) or {}
    archived, default_day = row.get("archived_copy", ""), row.get("published", "")

day_text = st.text_input(
    "Publication date (YYYY-MM-DD), to resolve “on Tuesday” and the like",
    key="add_published",
    placeholder=default_day or "blank: relative days are left unresolved",
)
day_text = day_text.strip() or default_day
archive = st.checkbox(
    "Archive this text as the source's archived copy (seeds/) and anchor the quotes in it",
    key="add_archive",
    disabled=bool(archived),
    help=f"Already archived as {archived}." if archived else None,
)

published = parse_day(day_text) if day_text else None
if day_text and published is None:
    st.error(f"Publication date: {not_a_day(day_text)}")
elif st.button("Find candidates", key="add_find", disabled=not text.strip()):
    try:
        frame = curate.review_table(text, published, source_id, curate.existing_statements(root))
    except Exception as err:  # a last guard: a fault in the extractor must be one line, not a traceback
        st.error(f"The extractor could not read this text ({type(err).__name__}: {err}); nothing was written.")
    else:
        st.session_state[CANDIDATES] = {"frame": frame, "text": text}

found = st.session_state.get(CANDIDATES)
if found is not None and found["text"] != text:
    st.info("The text changed since the candidates were found; find them again.")
    found = None
if found is not None:
    frame, shown_text = found["frame"], found["text"]
    if frame.empty:
        st.info("No quotation and no reported statement naming a road was found in this text.")
        st.stop()
    st.subheader(f"Candidates ({len(frame)}), weakest first")
    columns = ["candidate", "confidence", *curate.EDITABLE, "speaker_basis", "quote", "carried_by", "review_notes"]
    columns += ["already_present"]
    precisions = allowed["date_precision"]
    rows = list(frame.itertuples())
    edited = st.data_editor(
        frame[columns],
        key="add_editor",
        hide_index=True,
        disabled=[c for c in columns if c not in curate.EDITABLE],
        column_config={
            "claim": st.column_config.SelectboxColumn("claim", options=list(allowed["claim"])),
            "date_precision": st.column_config.SelectboxColumn(
                "date_precision", options=list(allowed["date_precision"])
            ),
            "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
        },
    )
    labels = {
        int(r.candidate): f"{r.candidate}: {r.speaker or 'no speaker'} – {r.quote[:60]}" for r in frame.itertuples()
    }
    pick = st.selectbox("Show the passage of candidate", list(labels), format_func=labels.get, key="add_show")
    if pick is not None:
        at = frame.index[frame["candidate"] == pick][0]
        before, quote, after = curate.passage(shown_text, int(frame.at[at, "start"]), int(frame.at[at, "end"]))
        marked = "\n\n".join(f":orange-background[{md_escape(p)}]" for p in quote.split("\n\n") if p.strip())
        st.markdown(md_escape(before) + marked + md_escape(after))
    present = {int(r.candidate) for r in frame.itertuples() if r.already_present}
    chosen = st.multiselect(
        "Candidates to accept", [c for c in labels if c not in present], format_func=labels.get, key="add_accept"
    )
    if present:
        st.caption(f"Already in statements.csv, not offered: {', '.join(str(c) for c in sorted(present))}.")
    if st.button("Write the accepted rows", key="add_write", type="primary", disabled=not chosen):
        keep = frame[["candidate", "quote", "language", "quoted_via", "retracted"]].join(
            edited.drop(columns=["quote"]).drop(columns=["candidate"]), how="left"
        )
        keep = keep[keep["candidate"].isin(chosen)].sort_values("candidate")
        try:
            outcome = curate.add_statements(
                root,
                keep,
                source_id=source_id,
                new_source=new_source,
                archive_text=shown_text if archive else None,
            )
        except OSError as err:  # the files already replaced were put back (routestatus.curate.write_whole)
            outcome = curate.Outcome(problems=[f"{err.filename or 'data/'}: {err.strerror or err}"])
        if outcome.ok:
            st.session_state.pop(CANDIDATES, None)
            st.session_state[RESULT] = (
                f"Wrote {', '.join(outcome.statement_ids)} ({', '.join(outcome.written)}); all checks pass."
            )
            st.rerun()
        st.error("Nothing was written:\n\n" + "  \n".join(md_escape(p) for p in outcome.problems))
