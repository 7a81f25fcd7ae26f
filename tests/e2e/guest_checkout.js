// A guest with no cookie jar: builds a basket and pays with a gift card, naming its session by
// django-oscar-api's Session-Id header. Plain fetch, credentials omitted; the same source runs in
// Node (tests/e2e/test_cookieless_guest.py) and in a page on another origin in Chromium.
async function guestCheckout({ api, productUrl, code, email, address }) {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  const sessionId = `SID:ANON:${new URL(api).hostname}:${random}`;
  const seen = [];
  async function call(path, init = {}) {
    const response = await fetch(api + path, {
      ...init, credentials: "omit",
      headers: { "Content-Type": "application/json", "Session-Id": sessionId },
    });
    seen.push({ path, status: response.status, sessionId: response.headers.get("Session-Id"),
                setCookie: response.headers.get("Set-Cookie") });
    return response.json();
  }
  const added = await call("/api/basket/add-product/", { method: "POST", body: JSON.stringify({ url: productUrl, quantity: 1 }) });
  const basket = await call("/api/basket/");
  const query = `mutation Pay($input: PayWithAccountInput!) { payWithAccount(input: $input) {
    order { number guestEmail total { amount } } transfers { amount { amount } } errors { field code message } } }`;
  const paid = await call("/graphql/", { method: "POST", body: JSON.stringify({ query, variables: { input: {
    basketId: String(basket.id), payments: [{ code }], shippingAddress: address, guestEmail: email,
    total: basket.total_incl_tax, idempotencyKey: `guest-${random}`,
  } } }) });
  const after = await call("/api/basket/");
  return { sessionId, added: added.id, basket: basket.id, total: basket.total_incl_tax, paid, after: after.id, seen };
}
