"""``seal``: the service's command-line client. It talks to the REST API like any other app (it
never imports the database or the workers), so it works against a remote deployment as well."""
