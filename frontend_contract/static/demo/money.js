// Money as shoppers read it, in the currency's own format.
export function formatMoney(money) {
  if (!money) return "";
  return new Intl.NumberFormat("en-GB", { style: "currency", currency: money.currency }).format(Number(money.amount));
}

export function formatAmount(amount, currency) {
  return formatMoney({ amount, currency: currency || "GBP" });
}
