"""Notifications: e-mail to people in their own language and time zone (in-app notices come later)."""
