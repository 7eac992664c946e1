/*
 * Bulwark visitor challenge. One file, two roles:
 *  - on the challenge page it reads the puzzle from #bulwark-challenge, starts Web Workers
 *    (this same file), shows progress, and goes to the verify URL with the answer; on a form
 *    that carries a puzzle (data-answer names its hidden input) it puts the answer there and
 *    enables the button named by data-submit instead;
 *  - inside a Worker it searches counters so that SHA-256(nonce || counter) starts with
 *    `difficulty` zero bits (nonce 16 bytes, counter 8 bytes big-endian), as the server checks.
 * SHA-256 is written out for this one 24-byte message (a single padded block) because it is
 * several times faster than a promise per hash through crypto.subtle.
 * Served from the zone's own origin, so a strict Content-Security-Policy ('self') allows it.
 */
(function (root) {
  'use strict';

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  var W = new Int32Array(64);

  /** SHA-256 of nonce (4 words) || counter (hi, lo words); writes the 8 digest words to out. */
  function digest24(nonce, hi, lo, out) {
    var i, t1, t2;
    W[0] = nonce[0]; W[1] = nonce[1]; W[2] = nonce[2]; W[3] = nonce[3];
    W[4] = hi; W[5] = lo; W[6] = 0x80000000;
    for (i = 7; i < 15; i++) W[i] = 0;
    W[15] = 192; // message length in bits
    for (i = 16; i < 64; i++) {
      var x = W[i - 15], y = W[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (i = 0; i < 64; i++) {
      t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))
          + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))
          + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    out[0] = (H[0] + a) | 0; out[1] = (H[1] + b) | 0; out[2] = (H[2] + c) | 0; out[3] = (H[3] + d) | 0;
    out[4] = (H[4] + e) | 0; out[5] = (H[5] + f) | 0; out[6] = (H[6] + g) | 0; out[7] = (H[7] + h) | 0;
    return out;
  }

  function leadingZeroBits(digest) {
    var bits = 0;
    for (var i = 0; i < 8; i++) {
      var z = Math.clz32(digest[i]);
      bits += z;
      if (z < 32) break;
    }
    return bits;
  }

  /** The 32-character hex nonce as four big-endian words. */
  function nonceWords(hex) {
    if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error('bad nonce');
    var w = new Int32Array(4);
    for (var i = 0; i < 4; i++) w[i] = parseInt(hex.substr(i * 8, 8), 16) | 0;
    return w;
  }

  /**
   * Tries counters start, start+step, ... for at most `attempts` tries.
   * Returns the solving counter, or -1 (the caller continues from start + attempts * step).
   */
  function search(nonce, difficulty, start, step, attempts) {
    var out = new Int32Array(8);
    var c = start;
    for (var n = 0; n < attempts; n++, c += step) {
      digest24(nonce, Math.floor(c / 4294967296) | 0, c | 0, out);
      if (leadingZeroBits(out) >= difficulty) return c;
    }
    return -1;
  }

  var api = { digest24: digest24, leadingZeroBits: leadingZeroBits, nonceWords: nonceWords, search: search };

  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }

  if (typeof document === 'undefined') {
    // Worker role.
    var CHUNK = 20000;
    root.onmessage = function (ev) {
      var job = ev.data, nonce = nonceWords(job.nonce), next = job.start, done = 0;
      for (;;) {
        var found = search(nonce, job.difficulty, next, job.step, CHUNK);
        if (found >= 0) { root.postMessage({ found: found, tried: done + (found - next) / job.step + 1 }); return; }
        next += CHUNK * job.step;
        done += CHUNK;
        root.postMessage({ tried: done });
        if (next > 9007199254740000) { root.postMessage({ failed: true }); return; }
      }
    };
    return;
  }

  // Page role.
  function start() {
    var box = document.getElementById('bulwark-challenge');
    if (!box) return;
    box.hidden = false;
    var bar = document.getElementById('bulwark-progress');
    var status = document.getElementById('bulwark-status');
    var difficulty = parseInt(box.getAttribute('data-difficulty'), 10);
    var expected = Math.pow(2, difficulty);
    var waitUrl = box.getAttribute('data-wait-url');
    var waitSeconds = parseInt(box.getAttribute('data-wait-seconds'), 10) || 5;
    var workers = [], tried = [], finished = false;
    // form mode: the answer goes into a hidden input and the submit button is enabled
    var answerId = box.getAttribute('data-answer'), submitId = box.getAttribute('data-submit');
    var answer = answerId ? document.getElementById(answerId) : null;
    var submit = submitId ? document.getElementById(submitId) : null;

    function fallBack(reason) {
      if (finished) return;
      finished = true;
      workers.forEach(function (w) { w.terminate(); });
      if (!waitUrl) { status.textContent = reason + ' Please reload the page to try again.'; return; }
      status.textContent = reason + ' Continuing without the puzzle in ' + waitSeconds + ' seconds\u2026';
      setTimeout(function () { location.replace(waitUrl); }, waitSeconds * 1000 + 250);
    }

    if (typeof Worker === 'undefined') { fallBack('This browser cannot run the check in the background.'); return; }
    var count = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    var began = Date.now();
    for (var i = 0; i < count; i++) {
      var w;
      try { w = new Worker(box.getAttribute('data-script')); } catch (err) { fallBack('The check could not start.'); return; }
      tried.push(0);
      (function (index, worker) {
        worker.onmessage = function (ev) {
          if (finished) return;
          var m = ev.data;
          if (m.tried) tried[index] = m.tried;
          if (m.failed) { fallBack('The check did not finish.'); return; }
          var total = tried.reduce(function (s, v) { return s + v; }, 0);
          // Chance of having found an answer after `total` tries: a smooth, honest progress measure.
          bar.value = Math.min(0.99, 1 - Math.exp(-total / expected));
          if (m.found !== undefined) {
            finished = true;
            workers.forEach(function (x) { x.terminate(); });
            bar.value = 1;
            var seconds = ((Date.now() - began) / 1000).toFixed(1);
            if (answer) {
              answer.value = String(m.found);
              if (submit) submit.disabled = false;
              status.textContent = 'Anti-spam check done in ' + seconds + ' s. You can send the form.';
              return;
            }
            status.textContent = 'Done in ' + seconds + ' s. Taking you to the site\u2026';
            location.replace(box.getAttribute('data-verify-url') + '&counter=' + m.found);
          }
        };
        worker.onerror = function () { fallBack('The check stopped with an error.'); };
      })(i, w);
      workers.push(w);
      w.postMessage({ nonce: box.getAttribute('data-nonce'), difficulty: difficulty, start: i, step: count });
    }
    status.textContent = answer ? 'Running the anti-spam check\u2026' : 'Checking your browser\u2026';
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})(typeof self !== 'undefined' ? self : this);
