/* budgetpub site: search of the department index, drill-down of the charts, the figure's box on
   a source page. Plain script, no library, no request to any host. Without it every panel shows. */
(function () {
  'use strict';

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* Search: every word typed must occur in a row's data-search text. */
  var input = document.getElementById('search');
  if (input) {
    var rows = document.querySelectorAll('#packages tbody tr');
    var count = document.getElementById('count');
    var none = document.getElementById('none');
    var filter = function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      each(rows, function (row) {
        var text = row.getAttribute('data-search') || '';
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = String(shown);
      none.hidden = shown > 0;
    };
    input.addEventListener('input', filter);
    filter();
  }

  /* Drill-down: one panel of a .drill shows at a time; links to #panel-id open it. */
  function show(id, focus) {
    var panel = document.getElementById(id);
    if (!panel || !panel.classList.contains('panel')) { return false; }
    var drill = panel.parentNode;
    each(drill.children, function (child) {
      if (child.classList.contains('panel')) { child.hidden = child !== panel; }
    });
    if (focus) {
      var heading = panel.querySelector('.panel-heading');
      if (heading) { heading.focus(); }
    }
    return true;
  }
  each(document.querySelectorAll('.drill'), function (drill) {
    var first = null;
    each(drill.children, function (child) {
      if (child.classList.contains('panel')) {
        if (!first) { first = child; }
        child.hidden = child !== first;
      }
    });
    drill.classList.add('scripted');
  });
  function fromHash(focus) {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id) { show(id, focus); }
  }
  window.addEventListener('hashchange', function () { fromHash(true); });
  fromHash(false);

  /* A source page of a PDF: #b=x0,top,x1,bottom (PDF points from the top-left) boxes the figure. */
  var page = document.querySelector('.pdf-page');
  if (page) {
    var box = page.querySelector('.box');
    var note = document.getElementById('box-note');
    var place = function () {
      var m = /^#b=([\d.]+),([\d.]+),([\d.]+),([\d.]+)$/.exec(location.hash);
      if (!m) { box.hidden = true; if (note) { note.hidden = true; } return; }
      var w = parseFloat(page.getAttribute('data-w'));
      var h = parseFloat(page.getAttribute('data-h'));
      var x0 = parseFloat(m[1]), top = parseFloat(m[2]), x1 = parseFloat(m[3]), bottom = parseFloat(m[4]);
      box.style.left = (x0 / w * 100) + '%';
      box.style.top = (top / h * 100) + '%';
      box.style.width = ((x1 - x0) / w * 100) + '%';
      box.style.height = ((bottom - top) / h * 100) + '%';
      box.hidden = false;
      if (note) { note.hidden = false; }
      box.scrollIntoView({ block: 'center' });
    };
    window.addEventListener('hashchange', place);
    place();
  }
}());
