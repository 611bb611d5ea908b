"""Use cases.  Each public function is one transaction that writes its audit event
with it, and raises a ServiceError (with a message in Chinese) when refused."""
