"""Serving the dashboard to a team: nginx in front of Streamlit replicas (see team.py)."""
