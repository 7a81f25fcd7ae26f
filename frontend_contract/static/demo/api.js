// Talking to the shop: django-oscar-api (REST) for products, basket and sign-in; GraphQL for
// money, by the sha256 of the contract's documents only (see /demo/operations.json).

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(message, code, extra = {}) {
    super(message);
    this.code = code;
    Object.assign(this, extra);
  }
}

export async function rest(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    cache: "no-store",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data && (data.detail || data.reason || data.non_field_errors || JSON.stringify(data));
    throw new ApiError(String(detail || response.statusText), `HTTP_${response.status}`);
  }
  return data;
}

let manifest = null;

async function operationHash(name) {
  manifest = manifest || (await rest("GET", "/demo/operations.json"));
  if (!manifest[name]) throw new ApiError(`Unknown operation ${name}`, "CLIENT");
  return manifest[name].sha256;
}

// Run a persisted operation; top-level errors (not signed in, blocked codes) become ApiErrors.
export async function gql(operationName, variables = {}) {
  const sha256Hash = await operationHash(operationName);
  const response = await fetch("/graphql/", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify({ operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
  });
  const body = await response.json().catch(() => ({}));
  if (body.errors && body.errors.length) {
    const [first] = body.errors;
    const ext = first.extensions || {};
    throw new ApiError(first.message, ext.code || "ERROR", { retryAfter: ext.retryAfter });
  }
  if (!response.ok) throw new ApiError(response.statusText, `HTTP_${response.status}`);
  return body.data;
}
