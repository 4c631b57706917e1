"""Reports, moderation actions, suspensions and appeals."""
