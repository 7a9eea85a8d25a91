// Quick exit: leave for a neutral site at once, leaving this page out of the tab's history
// (location.replace), so Back does not bring it back. Also on Escape pressed three times.
// When the vault is open, it is locked on the way out. Without JavaScript the button is
// still a plain link to the same site.
(function () {
  'use strict';
  var link = document.getElementById('quick-exit');
  if (!link) return;
  var target = link.href;
  var leaving = false;

  function lockVault() {
    var form = document.getElementById('lock-form');
    if (!form || !navigator.sendBeacon) return;
    var params = new URLSearchParams(new FormData(form));
    navigator.sendBeacon(form.action, params);
  }

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    document.title = '';
    if (document.body) document.body.style.visibility = 'hidden';
    try { lockVault(); } catch (e) { /* leaving matters more than locking */ }
    window.location.replace(target);
  }

  link.addEventListener('click', leave);

  var presses = [];
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' && event.key !== 'Esc') return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave(event);
  });
})();
