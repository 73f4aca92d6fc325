"""Magic links that let a client contact into the portal (P13): services and selectors."""
