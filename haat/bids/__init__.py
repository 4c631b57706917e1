"""Bids: freelancers' offers on jobs, the buyer's shortlist, rejections, the award and its acceptance."""
