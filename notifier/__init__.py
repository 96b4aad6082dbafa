"""Delivery of the weekly improvement-journey digest to people and channels."""
