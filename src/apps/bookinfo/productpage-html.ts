/**
 * The pages productpage renders: the index, the product page composed from details and reviews,
 * and a static sign-in page. The markup is weft's own, shaped like the original's so the usual
 * checks work: `<title>Simple Bookstore App</title>`, `glyphicon-star` spans inside
 * `<font color="black|red">`, "Reviews served by: <pod>", and the original's error texts.
 */

export interface Product {
  readonly id: number;
  readonly title: string;
  readonly descriptionHtml: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 0,
    title: 'The Comedy of Errors',
    descriptionHtml:
      '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of ' +
      "<b>William Shakespeare's</b> early plays. It is his shortest and one of his most farcical comedies, with a major part " +
      'of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
  },
];

export interface Fetched {
  readonly status: number;
  readonly value: Record<string, unknown>;
}

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function head(): string {
  return (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n' +
    '<title>Simple Bookstore App</title>\n</head>\n<body>\n'
  );
}

function nav(user: string): string {
  const who = user
    ? `<span class="user">${escapeHtml(user)}</span> <a href="logout">sign out</a>`
    : '<a href="login" id="sign-in-button">Sign in</a>';
  return `<nav class="navbar">\n<a href="#" class="brand">BookInfo Sample</a>\n${who}\n</nav>\n`;
}

function detailsSection(details: Fetched): string {
  if (details.status !== 200) {
    return (
      '<h4 class="text-center text-primary">Error fetching product details!</h4>\n' +
      `<p>${escapeHtml(details.value.error ?? '')}</p>\n`
    );
  }
  const d = details.value;
  const rows: [string, unknown][] = [
    ['Author', d.author],
    ['Year', d.year],
    ['Type', d.type],
    ['Pages', d.pages],
    ['Publisher', d.publisher],
    ['Language', d.language],
    ['ISBN-10', d['ISBN-10']],
    ['ISBN-13', d['ISBN-13']],
  ];
  const dl = rows.map(([k, v]) => `<dt>${k}:</dt><dd>${escapeHtml(v)}</dd>`).join('\n');
  return `<h4 class="text-center text-primary">Book Details</h4>\n<dl>\n${dl}\n</dl>\n`;
}

function stars(rating: Record<string, unknown>): string {
  const count = typeof rating.stars === 'number' ? Math.max(0, Math.min(5, Math.trunc(rating.stars))) : 0;
  const color = escapeHtml(rating.color ?? 'black');
  const full = '<span class="glyphicon glyphicon-star"></span>\n'.repeat(count);
  const empty = '<span class="glyphicon glyphicon-star-empty"></span>\n'.repeat(5 - count);
  return `<font color="${color}">\n${full}${empty}</font>\n`;
}

function reviewBlock(review: Record<string, unknown>, podName: unknown, clusterName: unknown): string {
  let out = `<blockquote>\n<p>${escapeHtml(review.text ?? '')}</p>\n<small>${escapeHtml(review.reviewer ?? '')}</small>\n`;
  const rating = review.rating as Record<string, unknown> | undefined;
  if (rating && typeof rating.stars === 'number') out += stars(rating);
  else if (rating && rating.error) out += `<p><i>${escapeHtml(rating.error)}</i></p>\n`;
  const cluster = clusterName && clusterName !== 'null' ? ` on cluster ${escapeHtml(clusterName)}` : '';
  out += `<dd>Reviews served by: <u>${escapeHtml(podName ?? '')}</u>${cluster}</dd>\n</blockquote>\n`;
  return out;
}

function reviewsSection(reviews: Fetched): string {
  if (reviews.status !== 200) {
    return (
      '<h4 class="text-center text-primary">Error fetching product reviews!</h4>\n' +
      `<p>${escapeHtml(reviews.value.error ?? '')}</p>\n`
    );
  }
  const list = Array.isArray(reviews.value.reviews) ? (reviews.value.reviews as Record<string, unknown>[]) : [];
  const blocks = list.map((r) => reviewBlock(r, reviews.value.podname, reviews.value.clustername)).join('');
  return `<h4 class="text-center text-primary">Book Reviews</h4>\n${blocks}`;
}

export function renderProductPage(product: Product, details: Fetched, reviews: Fetched, user: string): string {
  return (
    head() +
    nav(user) +
    `<div class="container">\n<h3 class="text-center text-primary">${escapeHtml(product.title)}</h3>\n` +
    `<p>Summary: ${product.descriptionHtml}</p>\n</div>\n` +
    `<div class="container details">\n${detailsSection(details)}</div>\n` +
    `<div class="container reviews">\n${reviewsSection(reviews)}</div>\n` +
    '</body>\n</html>\n'
  );
}

export function renderIndexPage(): string {
  return (
    head() +
    '<div class="container">\n<h3>Hello! This is a simple bookstore application consisting of three services as shown below</h3>\n' +
    '<table class="table">\n<tr><th>name</th><td>http://details:9080</td></tr>\n' +
    '<tr><th>endpoint</th><td>details</td></tr>\n<tr><th>children</th><td>details, reviews (ratings)</td></tr>\n</table>\n' +
    '<p><h4>Click on one of the links below to auto generate a request to the backend as a real user or a tester</h4></p>\n' +
    '<p><a href="/productpage?u=normal">Normal user</a></p>\n<p><a href="/productpage?u=test">Test user</a></p>\n' +
    '</div>\n</body>\n</html>\n'
  );
}

export function renderLoginPage(): string {
  return (
    head() +
    '<h2>Sign in to BookInfo</h2>\n<form method="post" action="login" name="login_form">\n' +
    '<label for="username">Username</label> <input id="username" name="username" required>\n' +
    '<label for="password">Password</label> <input id="password" name="passwd" type="password" required>\n' +
    '<button type="submit">Sign in</button>\n</form>\n</body>\n</html>\n'
  );
}
