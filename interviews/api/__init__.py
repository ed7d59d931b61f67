"""The REST API under /api/: the same reads, permissions and workflow as the web pages.

Modules by concern:

- `serializers`: what the API shows (requests, accounts, candidates, dashboard figures);
- `inputs`: what it accepts (list filters, filing, the dashboard's scope);
- `actions`: the transitions a person may take on a request, one body schema each;
- `permissions`: the role checks of `interviews.permissions`, as DRF permission classes;
- `errors`: one error body for everything, domain errors mapped to HTTP statuses;
- `views`, `urls`: thin views over `selectors`, `workflow` and `dashboard`.

Nothing here writes a request: every change goes through `interviews.workflow`, which
checks again who acts, the version they saw and the state.
"""
