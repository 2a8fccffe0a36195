"""Visitor statistics: page views and visitors per tenant, the footer widget, the national ranking."""
