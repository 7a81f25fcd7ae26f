// API error codes in plain words for shoppers.
import { formatMoney } from "./money.js";

function wait(seconds) {
  const minutes = Math.ceil((seconds || 60) / 60);
  return minutes <= 1 ? "a minute" : `${minutes} minutes`;
}

const WORDS = {
  INSUFFICIENT_FUNDS: () => "There isn't enough money in that account for this payment.",
  PAYMENT_INCOMPLETE: (error, payload) =>
    `Your payment doesn't cover the order: ${formatMoney(payload && payload.amountDue)} is still due. ` +
    "Add another account or a gift card.",
  INVALID_CODE: () => "That gift card code isn't valid. Please check it and try again.",
  CODE_ATTEMPTS_BLOCKED: (error) => `Too many wrong codes. Please wait ${wait(error.retryAfter)} and try again.`,
  BASKET_CHANGED: () => "Your basket changed since you saw the total. Please check it and pay again.",
  BASKET_EMPTY: () => "Your basket is empty.",
  ACCOUNT_FROZEN: () => "That account is frozen. Please contact us.",
  ACCOUNT_CLOSED: () => "That account is closed.",
  ACCOUNT_INACTIVE: () => "That account can't be used at the moment (it has expired or hasn't started yet).",
  CURRENCY_MISMATCH: () => "That account is in a different currency from your basket.",
  NOT_FOUND: () => "We couldn't find that any more. Please refresh the page.",
  PERMISSION_DENIED: () => "You can't do that with this account.",
  ORDER_PLACEMENT_FAILED: () => "We couldn't place your order. Nothing was charged; please try again.",
  IDEMPOTENCY_CONFLICT: () => "This payment was already attempted with different details. Please reload and try again.",
  UNAUTHENTICATED: () => "Please sign in first.",
  CARD_DECLINED: (error) => `${error.message}`,
  CARD_RETRY: () => "Your bank asks you to try again. Your accounts stay held for a few minutes: try again, or use another card.",
  PAYMENT_GATEWAY_ERROR: () => "The card processor did not answer. Nothing was charged; please pay again.",
  CHECKOUT_CLOSED: () => "That checkout has ended and nothing was taken. Please pay again.",
  CHECKOUT_IN_PROGRESS: () => "Your card payment is still being processed. Please wait a moment.",
};

export function explain(error, payload) {
  const words = WORDS[error.code];
  if (words) return words(error, payload);
  return error.message || "Something went wrong. Please try again.";
}
