# An address file: it hands over to dashboard.py (see pages/app/handover.py for why it exists).
from pages.app.handover import run_dashboard

run_dashboard()
