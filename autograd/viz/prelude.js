/* What the primitives' JavaScript (their `js` forwards and their traced rules) may call, beside
 * Math: `fail` (a domain error, shown to the learner), `power` (IEEE pow as Python's floats have
 * it) and `erf` (Math has none). F and D collect each primitive's forward and rules.
 */
var F = {}, D = {};

function fail(message) { throw new Error(message); }

function power(a, b) {  // Math.pow(1, NaN) and Math.pow(-1, Infinity) are NaN; IEEE and Python say 1
  if (a === 1 || b === 0) { return 1; }
  if (a === -1 && (b === Infinity || b === -Infinity)) { return 1; }
  return Math.pow(a, b);
}

function erf(x) {  // to about 1e-15: its Taylor series near 0, 1 - erfc by a continued fraction further out
  if (x !== x) { return NaN; }
  var s = x < 0 ? -1 : 1, ax = Math.abs(x);
  if (ax < 2.5) {  // 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1))
    var term = ax, sum = ax, x2 = ax * ax;
    for (var n = 1; n < 200; n++) {
      term *= -x2 / n;
      var add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * sum) { break; }
    }
    return s * sum * 2 / Math.sqrt(Math.PI);
  }
  if (ax > 6) { return s; }  // erfc(6) = 2e-17: below a double's spacing at 1
  var f = ax;  // erfc(x) = exp(-x²)/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  for (var k = 120; k >= 1; k--) { f = ax + (k / 2) / f; }
  return s * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}
