"""Workspace reports (P34, P37, P15, P10): month by month, drawn as charts with their figures."""
