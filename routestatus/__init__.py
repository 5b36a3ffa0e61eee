"""Reported status of the two roads into Nagorno-Karabakh: data, checks and figures.

The package never imports Streamlit; the dashboard and the command line sit on top of it.
"""

__version__ = "0.1.0"
