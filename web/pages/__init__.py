"""The home page and the service's information pages (accessibility, cookies, privacy)."""
