"""django-oscar-api's views as this shop serves them (its own override mechanism,
`OSCARAPI_OVERRIDE_MODULES`): the checkout that takes no payment is closed, the order views answer
a client that is not signed in with a JSON 401."""
