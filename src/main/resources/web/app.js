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

// A form marked data-autosubmit (the wall's one-time link) sends itself: the TV needs no click.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form[data-autosubmit]');
  if (form) { form.submit(); }
});
