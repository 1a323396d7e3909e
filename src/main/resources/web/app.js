// Sortable tables: click a header marked .sortable; cells may carry data-sort (numbers or ISO times).
document.addEventListener('click', function (e) {
  var th = e.target.closest('th.sortable');
  if (!th) { return; }
  var table = th.closest('table'), index = Array.prototype.indexOf.call(th.parentNode.children, th);
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var asc = th.getAttribute('data-dir') !== 'asc';
  th.setAttribute('data-dir', asc ? 'asc' : 'desc');
  function key(row) {
    var cell = row.cells[index], v = cell.getAttribute('data-sort');
    if (v === null) { v = cell.textContent; }
    var n = Number(v);
    return v !== '' && !isNaN(n) ? n : v;
  }
  rows.sort(function (a, b) {
    var x = key(a), y = key(b), c = x < y ? -1 : x > y ? 1 : 0;
    return asc ? c : -c;
  });
  rows.forEach(function (r) { body.appendChild(r); });
});

// The period selector: choosing a period shows it at once; typing a date switches to custom dates.
document.addEventListener('change', function (e) {
  var form = e.target.closest('form.period-selector, form.team-filter');
  if (!form) { return; }
  if (e.target.type === 'date') { form.elements.period.value = 'custom'; return; }
  if (e.target.name === 'period' && e.target.value !== 'custom') {
    form.elements.from.value = ''; form.elements.to.value = '';
  }
  if (e.target.tagName === 'SELECT' && e.target.value !== 'custom') { form.submit(); }
});

// The wall fetches its content and swaps it in, without reloading the page (a TV shows no flash).
(function () {
  var wall = document.getElementById('wall');
  if (!wall) { return; }
  var seconds = Number(wall.getAttribute('data-refresh')) || 30;
  function refresh() {
    var url = location.pathname + location.search + (location.search ? '&' : '?') + 'fragment=1';
    fetch(url, {credentials: 'same-origin', cache: 'no-store'}).then(function (r) {
      if (r.ok && r.headers.get('Content-Type').indexOf('text/html') === 0 && !r.redirected) { return r.text(); }
      throw new Error('wall refresh: ' + r.status);
    }).then(function (html) {
      wall.innerHTML = html;
      wall.setAttribute('data-refreshed', String(Number(wall.getAttribute('data-refreshed') || 0) + 1));
    }).catch(function () { /* keep what is shown; the next round tries again */ });
  }
  setInterval(refresh, seconds * 1000);
  window.replyclockWallRefresh = refresh;
})();

// A form marked data-autosubmit (the wall's one-time link) sends itself: the TV needs no click.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form[data-autosubmit]');
  if (form) { form.submit(); }
});
