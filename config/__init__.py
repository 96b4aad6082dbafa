"""Settings files and the Ofsted frameworks' judgement areas, loaded once by an entry point."""
