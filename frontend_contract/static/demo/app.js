// The demo shop: a hash-routed single page, no build step.
import { ApiError, gql, rest } from "./api.js";
import { explain } from "./messages.js";
import { formatAmount, formatMoney } from "./money.js";

const app = document.getElementById("app");
let navigation = 0; // views paint only if no newer navigation started meanwhile

function paint(token, html) {
  if (token !== navigation) return false;
  app.innerHTML = html;
  return true;
}
const notice = document.getElementById("notice");
const state = {
  signedIn: false, email: sessionStorage.getItem("email") || "", products: new Map(), lastOrder: null, accountNames: {},
};

const esc = (value) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// The banner sits in the sticky top bar under the header (index.html), so it is always in view.
function show(message, kind = "error") {
  notice.textContent = message;
  notice.className = `notice ${kind}`;
  notice.hidden = !message;
}

// Whatever is scrolled into view lands below the sticky top bar (html's scroll-padding-top).
const top = document.getElementById("top");
new ResizeObserver(() => document.documentElement.style.setProperty("--top-height", `${top.offsetHeight}px`)).observe(top);

// Disable the button while its request is in flight; show what went wrong in plain words.
async function busy(button, work) {
  button.disabled = true;
  show("");
  try {
    return await work();
  } catch (error) {
    show(explain(error));
    return undefined;
  } finally {
    button.disabled = false;
  }
}

function payloadError(payload) {
  if (!payload.errors.length) return null;
  const [first] = payload.errors;
  return explain(new ApiError(first.message, first.code, { retryAfter: first.retryAfter }), payload);
}

// -- session and basket -----------------------------------------------------------------------
async function refreshSession() {
  // django-oscar-api answers 204 to a signed-in session and 405 to an anonymous one.
  state.signedIn = await rest("GET", "/api/login/").then(() => true, () => false);
  document.getElementById("who").textContent = state.signedIn ? state.email || "Signed in" : "";
  document.getElementById("signin-link").hidden = state.signedIn;
  document.getElementById("signout").hidden = !state.signedIn;
}

async function basket() {
  const current = await rest("GET", "/api/basket/");
  const lines = await rest("GET", new URL(current.lines).pathname);
  const count = lines.reduce((n, line) => n + line.quantity, 0);
  document.getElementById("basket-count").textContent = count;
  return { ...current, lines };
}

async function loadProducts() {
  if (state.products.size) return [...state.products.values()];
  // Each product's details (its structure and Oscar options: a gift card's recipient fields) and price.
  // A parent product (the gift card) has no price of its own: its variants are listed instead.
  const list = await rest("GET", "/api/products/");
  const withPrices = (await Promise.all(
    list.map(async (product) => {
      const [detail, price] = await Promise.all([
        rest("GET", `/api/products/${product.id}/`), rest("GET", `/api/products/${product.id}/price/`),
      ]);
      return { ...product, structure: detail.structure, options: detail.options || [], price };
    }),
  )).filter((product) => product.structure !== "parent");
  withPrices.forEach((product) => state.products.set(new URL(product.url).pathname, product));
  return withPrices;
}

// -- views ------------------------------------------------------------------------------------
async function shopView(token) {
  const products = await loadProducts();
  if (!paint(token, `
    <h1>Coffee gear</h1>
    <div class="grid">${products
      .map(
        (p) => `<div class="card product">
          <div class="title">${esc(p.title)}</div>
          <div class="price">${formatAmount(p.price.incl_tax, p.price.currency)}</div>
          ${giftFields(p)}
          <button class="button" data-add="${esc(p.url)}" data-testid="add-${esc(p.upc)}">Add to basket</button>
        </div>`,
      )
      .join("")}</div>`)) return;
  app.querySelectorAll("[data-add]").forEach((button) =>
    button.addEventListener("click", () =>
      busy(button, async () => {
        // Gift-card options (Oscar product options) travel as django-oscar-api's `options`.
        const options = [...button.closest(".product").querySelectorAll("[data-option]")]
          .filter((input) => input.value.trim())
          .map((input) => ({ option: input.dataset.option, value: input.value.trim() }));
        await rest("POST", "/api/basket/add-product/", { url: button.dataset.add, quantity: 1, options });
        await basket();
        show("Added to your basket.", "ok");
      }),
    ),
  );
}

// A gift card's recipient, message and date: the product's Oscar options, by code.
const GIFT_OPTIONS = [
  ["gift_card_recipient_name", "Recipient's name", "text"],
  ["gift_card_recipient_email", "Recipient's e-mail (empty: you)", "email"],
  ["gift_card_message", "Message", "text"],
  ["gift_card_deliver_on", "Send on (empty: now)", "date"],
];

function giftFields(product) {
  const urls = new Map((product.options || []).map((option) => [option.code, option.url]));
  if (!urls.has("gift_card_recipient_email")) return "";
  return `<details class="gift" data-testid="gift-${esc(product.upc)}"><summary>Send it as a gift</summary>
    ${GIFT_OPTIONS.filter(([code]) => urls.has(code))
      .map(([code, label, type]) => `<label>${label}<input type="${type}" name="${code}" data-option="${esc(urls.get(code))}"></label>`)
      .join("")}</details>`;
}

// Each field with its own error slot (#<name>-error), filled from `shippingAddress.<name>` errors.
function addressForm(countries) {
  const error = (name) => `<div class="field-error" id="${name}-error" hidden></div>`;
  const field = (name, label, autocomplete) =>
    `<div><label for="${name}">${label}</label><input id="${name}" name="${name}" autocomplete="shipping ${autocomplete}"
      aria-describedby="${name}-error" required>${error(name)}</div>`;
  const options = countries.map((c) => `<option value="${esc(c.code)}">${esc(c.name)}</option>`).join("");
  return `<h2>Delivery address</h2>
    <div class="row">${field("firstName", "First name", "given-name")}${field("lastName", "Last name", "family-name")}</div>
    ${field("line1", "Address", "address-line1")}
    <div class="row">${field("line4", "Town", "address-level2")}${field("postcode", "Postcode", "postal-code")}</div>
    <div><label for="country">Country</label><select id="country" name="country" autocomplete="shipping country"
      aria-describedby="country-error" required>${options}</select>${error("country")}</div>`;
}

// The countries the shop delivers to (django-oscar-api), read once.
async function loadCountries() {
  if (!state.countries) {
    const list = await rest("GET", "/api/countries/").catch(() => []);
    // the code is the row's key, so it comes in the url (/api/countries/GB/)
    const code = (c) => c.iso_3166_1_a2 || (/countries\/([A-Za-z]{2})\/?$/.exec(c.url || "") || [])[1];
    state.countries = list.filter((c) => c.is_shipping_country !== false && code(c))
      .map((c) => ({ code: code(c).toUpperCase(), name: c.printable_name || c.name || code(c) }));
    if (!state.countries.length) state.countries = [{ code: "GB", name: "United Kingdom" }];
  }
  return state.countries;
}

async function basketView(token) {
  const [current, , countries] = await Promise.all([basket(), loadProducts(), loadCountries()]);
  if (!current.lines.length) {
    paint(token, `<h1>Your basket</h1><p class="muted">Your basket is empty. <a href="#/">Browse the shop</a>.</p>`);
    return;
  }
  let accounts = [];
  if (state.signedIn) {
    const data = await gql("MyAccounts", { first: 50, history: 0, lots: 0, filter: { status: ["OPEN"], isActive: true } });
    accounts = sourcesInOrder(data.myAccounts.edges.map((e) => e.node).filter((a) => a.currency === current.currency));
    accounts.forEach((a) => (state.accountNames[a.id] = a.name));
  }
  const total = { amount: current.total_incl_tax, currency: current.currency };
  const ticked = defaultSources(accounts, Number(total.amount));
  if (!paint(token, `
    <h1>Your basket</h1>
    <div class="columns">
      <div class="card">
        <table><thead><tr><th>Item</th><th class="num">Qty</th><th class="num">Price</th></tr></thead><tbody>
        ${current.lines
          .map((line) => {
            const product = state.products.get(new URL(line.product).pathname);
            return `<tr><td>${esc(product ? product.title : "Product")}</td><td class="num">${line.quantity}</td>
              <td class="num">${formatAmount(line.price_incl_tax, line.price_currency)}</td></tr>`;
          })
          .join("")}
        </tbody></table>
        <p class="total">Total <span id="basket-total" style="float:right">${formatMoney(total)}</span></p>
      </div>
      <form class="card" id="checkout">
        <h2 style="margin-top:0">${state.signedIn ? "Pay with your accounts" : "Pay with a gift card"}</h2>
        ${
          state.signedIn
            ? accounts.length
              ? accounts
                  .map(
                    (a, i) => `<div class="source" data-account="${esc(a.id)}">
                      <input type="checkbox" name="account" value="${esc(a.id)}" id="acc-${i}" ${ticked.has(a.id) ? "checked" : ""}
                        data-available="${esc((a.amountAvailable || a.balance).amount)}">
                      <label class="name" for="acc-${i}" style="margin:0;color:inherit">${esc(a.name)}
                        <span class="muted">· ${formatMoney(a.amountAvailable || a.balance)} available</span></label>
                      <input class="amount" name="amount-${esc(a.id)}" placeholder="Amount (all)" inputmode="decimal">
                      <div class="field-error" hidden></div>
                    </div>`,
                  )
                  .join("")
              : `<p class="muted">You have no accounts in ${esc(current.currency)} yet.</p>`
            : `<p class="muted">Paying as a guest with a gift card, or <a href="#/signin">sign in</a> to use your wallet.</p>
               <label for="guestEmail">Email for your receipt</label><input id="guestEmail" type="email" required>`
        }
        <label for="giftCode">${state.signedIn ? "Gift card code (optional)" : "Gift card code"}</label>
        <input id="giftCode" autocomplete="off" placeholder="XXXX-XXXX-XXXX-XXXX">
        <div class="field-error" id="giftCode-error" hidden></div>
        <div class="gift-ok" id="giftCode-ok" hidden></div>
        <p class="still" id="still-to-pay" aria-live="polite"></p>
        <div class="source option"><input type="checkbox" id="payByCard">
          <label class="name" for="payByCard" style="margin:0;color:inherit">Pay the rest by card</label></div>
        <div id="cardFields" hidden>
          <label for="cardNumber">Card number</label>
          <input id="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242">
          <p class="muted" style="font-size:.8rem">Sandbox: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 is declined.
            Your accounts are held first and charged only when the card is approved.</p>
        </div>
        ${addressForm(countries)}
        <p><button class="button" id="pay-button" type="submit">Pay ${formatMoney(total)}</button></p>
      </form>
    </div>`)) return;
  const form = document.getElementById("checkout");
  state.basketItems = current.lines.map((line) => {
    const product = state.products.get(new URL(line.product).pathname);
    return { title: product ? product.title : "Product", quantity: line.quantity,
             price: { amount: line.price_incl_tax, currency: line.price_currency } };
  });
  const refresh = () => stillToPay(form, total);
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
  // An error is about what was sent: editing that field takes it away (it may be right now).
  form.addEventListener("input", (event) => clearFieldError(form, event.target));
  const giftCode = form.querySelector("#giftCode");
  giftCode.addEventListener("change", () => checkGiftCode(form, giftCode.value.trim()));
  const byCard = form.querySelector("#payByCard");
  byCard.addEventListener("change", () => {
    form.querySelector("#cardFields").hidden = !byCard.checked;
    form.querySelector("#cardNumber").required = byCard.checked;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (byCard.checked) payWithCard(form, current, total);
    else pay(form, current, total);
  });
}

// Which accounts pay first: money that only this shop takes, then credit, then points.
const SOURCE_ORDER = ["GIFT_CARD", "STORE_CREDIT", "REFUND_WALLET", "LOYALTY_POINTS", "B2B_PREPAID", "OTHER"];

function sourcesInOrder(accounts) {
  const rank = (a) => { const i = SOURCE_ORDER.indexOf(a.kind); return i < 0 ? SOURCE_ORDER.length : i; };
  return [...accounts].sort((a, b) => rank(a) - rank(b));
}

// Tick accounts in that order until the total is covered; never one with nothing available.
function defaultSources(accounts, total) {
  const ticked = new Set();
  let left = total;
  for (const a of accounts) {
    const available = Number((a.amountAvailable || a.balance).amount);
    if (left <= 0 || !(available > 0)) continue;
    ticked.add(a.id);
    left -= available;
  }
  return ticked;
}

function stillToPay(form, total) {
  let left = Number(total.amount);
  for (const box of form.querySelectorAll("input[name=account]:checked")) {
    const typed = form.querySelector(`[name="amount-${box.value}"]`).value.trim();
    left -= typed ? Number(typed) || 0 : Number(box.dataset.available);
  }
  const line = form.querySelector("#still-to-pay");
  const byCard = form.querySelector("#payByCard").checked;
  const code = form.querySelector("#giftCode").value.trim();
  if (left <= 0.004) line.textContent = "Your accounts cover the total.";
  else if (code) line.textContent = `Still to pay: ${formatMoney({ amount: left.toFixed(2), currency: total.currency })} (before the gift card)`;
  else line.textContent = `Still to pay: ${formatMoney({ amount: left.toFixed(2), currency: total.currency })}${byCard ? " by card" : ""}`;
}

function errorSlot(form, input) {
  if (!input) return null;
  if (input.id) {
    const own = form.querySelector(`#${CSS.escape(input.id)}-error`);
    if (own) return own;
  }
  return input.closest("[data-account]")?.querySelector(".field-error") || null;
}

function clearFieldError(form, input) {
  const slot = errorSlot(form, input);
  if (slot) { slot.hidden = true; slot.textContent = ""; }
  input?.removeAttribute?.("aria-invalid");
  if (input?.id === "giftCode") form.querySelector("#giftCode-ok").hidden = true;
}

// A gift card code typed in: its balance, or why it is not valid (the throttle counts wrong codes).
async function checkGiftCode(form, code) {
  const input = form.querySelector("#giftCode");
  clearFieldError(form, input);
  if (!code) return;
  try {
    const { balance } = await gql("GiftCardBalance", { code });
    if (input.value.trim() !== code) return; // typed on meanwhile
    const ok = form.querySelector("#giftCode-ok");
    ok.textContent = `Gift card: ${formatMoney(balance)} available`;
    ok.hidden = false;
  } catch (error) {
    if (input.value.trim() !== code) return;
    const slot = form.querySelector("#giftCode-error");
    slot.textContent = `Gift card: ${explain(error)}`;
    slot.hidden = false;
    input.setAttribute("aria-invalid", "true");
  }
}

// What the form held when a request was sent. Its answer can arrive after the shopper has put a
// field right (and a balance check has said so): a refusal is about what was sent, so it is not
// shown against a field edited since, nor does it take away that field's newer message.
function fieldValue(el) {
  return el.type === "checkbox" ? el.checked : el.value.trim();
}

function formValues(form) {
  return new Map([...form.querySelectorAll("input, select")].map((el) => [el, fieldValue(el)]));
}

// The fields an error slot speaks for: an account's block (its tick and amount), else "<id>-error"'s field.
function slotFields(form, slot) {
  const block = slot.closest("[data-account]");
  if (block) return [...block.querySelectorAll("input")];
  const own = slot.id && form.querySelector(`#${CSS.escape(slot.id.replace(/-error$/, ""))}`);
  return own ? [own] : [];
}

function editedSince(sent, fields) {
  return fields.some((el) => sent.has(el) && sent.get(el) !== fieldValue(el));
}

// Show each refusal next to what it names: the payment source ("payments.N..."), the address
// field ("shippingAddress.postcode"); the rest in the banner. The first one is scrolled into view.
// `sent` is formValues(form) taken when the request went out.
function showErrors(form, payload, payments, sent) {
  const current = (slot) => !editedSince(sent, slotFields(form, slot));
  form.querySelectorAll(".field-error").forEach((el) => {
    if (current(el)) { el.hidden = true; el.textContent = ""; }
  });
  form.querySelectorAll("[aria-invalid]").forEach((el) => {
    if (!editedSince(sent, [el])) el.removeAttribute("aria-invalid");
  });
  const general = [];
  for (const error of payload.errors) {
    const words = explain(new ApiError(error.message, error.code, { retryAfter: error.retryAfter }), payload);
    const address = /(?:^|\.)shippingAddress\.(\w+)/.exec(error.field || "");
    const input = address && form.querySelector(`#${CSS.escape(address[1])}`);
    if (input) {
      const slot = errorSlot(form, input);
      if (!current(slot)) continue; // edited since it was sent: the answer is about the old value
      slot.textContent = slot.hidden ? error.message : `${slot.textContent} ${error.message}`;
      slot.hidden = false;
      input.setAttribute("aria-invalid", "true");
      continue;
    }
    const match = /^payments\.(\d+)/.exec(error.field || "");
    const source = match ? payments[Number(match[1])] : null;
    const slot = source && (source.accountId
      ? form.querySelector(`[data-account="${CSS.escape(source.accountId)}"] .field-error`)
      : form.querySelector("#giftCode-error"));
    if (slot) {
      if (!current(slot)) continue;
      const name = source.accountId ? state.accountNames[source.accountId] || "This account" : "Gift card";
      slot.textContent = `${name}: ${words}`;
      slot.hidden = false;
      if (!source.accountId) form.querySelector("#giftCode").setAttribute("aria-invalid", "true");
    } else general.push(words);
  }
  show(general.join(" "));
  form.querySelector(".field-error:not([hidden])")?.scrollIntoView({ block: "center" });
}

function checkoutInput(form, current, total, payments) {
  const value = (name) => form.querySelector(`#${name}`).value.trim();
  const input = {
    basketId: String(current.id),
    payments,
    total: total.amount,
    idempotencyKey: crypto.randomUUID(),
    shippingAddress: {
      firstName: value("firstName"), lastName: value("lastName"), line1: value("line1"),
      line4: value("line4"), postcode: value("postcode"), country: value("country"),
    },
  };
  if (!state.signedIn) input.guestEmail = value("guestEmail");
  return input;
}

function chosenSources(form) {
  const payments = [...form.querySelectorAll("input[name=account]:checked")].map((box) => {
    const amount = form.querySelector(`[name="amount-${box.value}"]`).value.trim();
    return amount ? { accountId: box.value, amount } : { accountId: box.value };
  });
  const code = form.querySelector("#giftCode").value.trim();
  if (code) payments.push({ code });
  return payments;
}

async function placed(result) {
  result.paidFrom = result.transfers.map((t) => state.accountNames[t.accountId] || "Gift card");
  result.items = state.basketItems || [];
  state.lastOrder = result;
  sessionStorage.setItem("lastOrder", JSON.stringify(result));
  await basket();
  location.hash = `#/order/${result.order.number}`;
}

// Accounts and gift cards are held, the order waits for the card; a declined card releases the
// holds (the checkout ends), a soft decline keeps them for another try with the same checkout.
async function payWithCard(form, current, total) {
  const cardToken = form.querySelector("#cardNumber").value.trim();
  const sent = formValues(form);
  await busy(form.querySelector("#pay-button"), async () => {
    if (!state.cardCheckout || state.cardCheckout.basketId !== current.id) {
      const input = checkoutInput(form, current, total, chosenSources(form));
      const payments = input.payments;
      const { startCardCheckout: started } = await gql("StartCardCheckout", { input });
      if (!started.checkout && started.errors.length) return showErrors(form, started, payments, sent);
      const problem = payloadError(started);
      if (started.checkout && started.checkout.status !== "PENDING" && started.checkout.status !== "PAID") {
        return show(problem); // ended at once (declined): a new checkout next time
      }
      if (problem && !started.errors.some((e) => e.code === "CARD_RETRY")) return show(problem);
      if (started.checkout.status === "PAID") return placed({ ...started, order: started.checkout.order });
      state.cardCheckout = { id: started.checkout.id, basketId: current.id };
      if (problem) return show(problem); // a soft decline at start: the same checkout, another try
    }
    const { payCardCheckout: paid } = await gql("PayCardCheckout", {
      input: { checkoutId: state.cardCheckout.id, cardToken },
    });
    const problem = payloadError(paid);
    if (problem) {
      if (!paid.errors.some((e) => e.code === "CARD_RETRY")) state.cardCheckout = null; // it has ended
      return show(problem);
    }
    state.cardCheckout = null;
    const { checkout } = paid;
    return placed({ ...paid, order: checkout.order, card: { label: checkout.card, amount: checkout.byCard } });
  });
}

async function pay(form, current, total) {
  const payments = chosenSources(form);
  if (!payments.length) {
    show("Choose an account or enter a gift card code, or pay the rest by card.");
    return;
  }
  const input = checkoutInput(form, current, total, payments);
  const sent = formValues(form);
  await busy(form.querySelector("#pay-button"), async () => {
    const { payWithAccount: result } = await gql("PayWithAccount", { input });
    if (result.errors.length) return showErrors(form, result, payments, sent);
    return placed({ ...result, address: input.shippingAddress });
  });
}

function orderView(token, number) {
  const order = state.lastOrder || JSON.parse(sessionStorage.getItem("lastOrder") || "null");
  if (!order || order.order.number !== number) {
    paint(token, `<p class="muted">Order ${esc(number)} was placed. <a href="#/wallet">See your wallet</a>.</p>`);
    return;
  }
  paint(token, `
    <div class="card confirmation" id="confirmation">
      <div class="check">✓</div>
      <h1>Thank you — order ${esc(order.order.number)} is placed</h1>
      <p class="total">Paid ${formatMoney(order.order.total)}</p>
      <table style="max-width:420px;margin:0 auto" id="paid-with"><caption class="muted">Paid with</caption><tbody>
        ${order.transfers
          .map((t, i) => `<tr><td>${esc((order.paidFrom || [])[i] || "Payment")}</td><td class="num">${formatMoney({ ...t.amount, amount: String(Math.abs(Number(t.amount.amount)).toFixed(2)) })}</td></tr>`)
          .join("")}
        ${order.card ? `<tr><td>${esc(order.card.label)}</td><td class="num">${formatMoney(order.card.amount)}</td></tr>` : ""}
      </tbody></table>
      ${(order.items || []).length ? `<table style="max-width:420px;margin:1rem auto 0" id="items"><caption class="muted">Items</caption><tbody>
        ${order.items.map((item) => `<tr><td>${esc(item.title)} × ${item.quantity}</td><td class="num">${formatMoney(item.price)}</td></tr>`).join("")}
      </tbody></table>` : ""}
      ${order.address ? `<p class="muted" id="address">Delivering to ${esc([order.address.firstName, order.address.lastName].join(" "))},
        ${esc(order.address.line1)}, ${esc(order.address.line4)} ${esc(order.address.postcode)}</p>` : ""}
      ${order.order.guestEmail ? `<p class="muted">A receipt goes to ${esc(order.order.guestEmail)}.</p>` : ""}
      <p><a class="button" href="#/">Continue shopping</a> ${state.signedIn ? '<a class="button ghost" href="#/wallet">Your wallet</a>' : ""}</p>
    </div>`);
}

// A day as shoppers read it ("3 March", with the year when it is not this year), in their zone.
function formatDay(iso) {
  const day = new Date(iso);
  const options = { day: "numeric", month: "long" };
  if (day.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
  return day.toLocaleDateString("en-GB", options);
}

// The credit lots a shopper should know about: what expires when, what starts later, what has
// expired and is about to lapse (lots without a clock need no line). In the order payments spend them.
function lotLines(account) {
  const lines = (account.lots ? account.lots.edges : [])
    .map(({ node: lot }) => {
      const amount = formatMoney(lot.remaining);
      if (lot.state === "NOT_YET_EFFECTIVE") return `${amount} usable from ${formatDay(lot.effectiveFrom)}`;
      if (lot.state === "EXPIRED") return `${amount} expired on ${formatDay(lot.expiresAt)}`;
      return lot.expiresAt ? `${amount} expires on ${formatDay(lot.expiresAt)}` : null;
    })
    .filter(Boolean);
  return lines.length ? `<ul class="lots" data-testid="lots">${lines.map((line) => `<li>${esc(line)}</li>`).join("")}</ul>` : "";
}

async function walletView(token) {
  if (!state.signedIn) {
    if (paint(token, `<h1>Your wallet</h1>${balanceCheckForm()}
      <p class="muted"><a href="#/signin">Sign in</a> to see your store credit, points and history.</p>`)) {
      bindBalanceCheck();
    }
    return;
  }
  const [{ myAccounts }, { transfers }] = await Promise.all([
    gql("MyAccounts", { first: 50, history: 0, lots: 20 }),
    gql("Transfers", { first: 20 }),
  ]);
  const names = new Map(myAccounts.edges.map((e) => [e.node.id, e.node.name]));
  if (!paint(token, `
    <h1>Your wallet</h1>
    <div class="accounts">${
      myAccounts.edges
        .map(({ node: a }) => `<div class="card account" data-testid="account-${esc(a.kind)}">
          <div><strong>${esc(a.name)}</strong> <span class="badge ${esc(a.status)}">${esc(a.status.toLowerCase())}</span></div>
          <div class="balance">${formatMoney(a.balance)}</div>
          <div class="muted">${a.amountAvailable ? `${formatMoney(a.amountAvailable)} available` : "Unlimited"}
            ${a.codeLast4 ? ` · code ${esc(a.codeLast4)}` : ""}${a.endDate ? ` · expires ${new Date(a.endDate).toLocaleDateString("en-GB")}` : ""}</div>
          ${lotLines(a)}
        </div>`)
        .join("") || '<p class="muted">No accounts yet: redeem a gift card below.</p>'
    }</div>
    <div class="columns">
      <div>
        <h2>History</h2>
        <div class="card"><table id="history"><thead><tr><th>When</th><th>What</th><th class="num">Amount</th><th class="num after">Balance</th></tr></thead><tbody>
        ${
          transfers.edges
            .map(({ node: t }) => `<tr><td>${new Date(t.createdAt).toLocaleString("en-GB")}</td>
              <td>${esc(t.description || t.counterparty || "")}<div class="muted">${esc(names.get(t.accountId) || "")}</div></td>
              <td class="num ${t.direction === "CREDIT" ? "credit" : "debit"}">${formatMoney(t.amount)}</td>
              <td class="num muted after">${formatMoney(t.balanceAfter)}</td></tr>`)
            .join("") || '<tr><td class="muted">Nothing yet.</td></tr>'
        }
        </tbody></table></div>
      </div>
      <div>
        <form class="card" id="redeem">
          <h2 style="margin-top:0">Redeem a gift card</h2>
          <p class="muted">Its whole balance moves into your store credit.</p>
          <label for="redeemCode">Gift card code</label><input id="redeemCode" autocomplete="off" required>
          <p><button class="button" id="redeem-button" type="submit">Redeem</button></p>
        </form>
        ${balanceCheckForm()}
      </div>
    </div>`)) return;
  const form = document.getElementById("redeem");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button"), async () => {
      const { redeemGiftCard: result } = await gql("RedeemGiftCard", {
        input: { code: form.querySelector("#redeemCode").value, idempotencyKey: crypto.randomUUID() },
      });
      const problem = payloadError(result);
      if (problem) {
        show(problem);
        return;
      }
      await walletView(navigation);
      show(`${formatMoney(result.amount)} added to your ${result.account.name}.`, "ok");
    });
  });
  bindBalanceCheck();
}

function balanceCheckForm() {
  return `<form class="card" id="balance-check" style="margin-top:1rem">
    <h2 style="margin-top:0">Check a gift card</h2>
    <label for="checkCode">Gift card code</label><input id="checkCode" autocomplete="off" required>
    <p><button class="button ghost" type="submit">Check balance</button> <span id="checked" class="total"></span></p>
  </form>`;
}

function bindBalanceCheck() {
  const form = document.getElementById("balance-check");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button"), async () => {
      const { balance } = await gql("GiftCardBalance", { code: form.querySelector("#checkCode").value });
      form.querySelector("#checked").textContent = formatMoney(balance);
    });
  });
}

function signInView(token) {
  paint(token, `
    <form class="card" id="signin" style="max-width:420px;margin:0 auto">
      <h1>Sign in</h1>
      <label for="email">Email</label><input id="email" type="email" autocomplete="username" value="${esc(state.email)}" required>
      <label for="password">Password</label><input id="password" type="password" autocomplete="current-password" required>
      <p><button class="button" id="signin-button" type="submit">Sign in</button></p>
    </form>`);
  const form = document.getElementById("signin");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button"), async () => {
      const email = form.querySelector("#email").value.trim();
      try {
        await rest("POST", "/api/login/", { username: email, password: form.querySelector("#password").value });
      } catch (error) {
        throw new ApiError("That email and password don't match an account.", "SIGNIN");
      }
      state.email = email;
      sessionStorage.setItem("email", email);
      await refreshSession();
      await basket();
      location.hash = "#/basket";
    });
  });
}

// -- routing ----------------------------------------------------------------------------------
const routes = [
  [/^#\/?$/, shopView, "shop"],
  [/^#\/basket$/, basketView, "basket"],
  [/^#\/wallet$/, walletView, "wallet"],
  [/^#\/signin$/, signInView, null],
  [/^#\/order\/(.+)$/, orderView, null],
];

async function route() {
  const token = ++navigation;
  const hash = location.hash || "#/";
  for (const [pattern, view, nav] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    document.querySelectorAll("[data-nav]").forEach((a) => a.classList.toggle("active", a.dataset.nav === nav));
    try {
      await view(token, ...match.slice(1));
    } catch (error) {
      if (paint(token, "")) show(explain(error));
    }
    return;
  }
  location.hash = "#/";
}

document.getElementById("signout").addEventListener("click", async (event) => {
  await busy(event.currentTarget, async () => {
    await rest("DELETE", "/api/login/");
    sessionStorage.removeItem("email");
    state.email = "";
    await refreshSession();
    await basket();
    location.hash = "#/";
  });
});

window.addEventListener("hashchange", () => {
  show("");
  route();
});
await refreshSession();
await basket().catch(() => null);
await route();
