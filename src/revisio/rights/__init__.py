"""A person's rights over their data: export everything (access and portability) and delete everything."""
