(function () {
  'use strict';
  var root = document.getElementById('bgu');
  if (!root) { return; }
  var base = root.getAttribute('data-root');
  var token = root.getAttribute('data-token');
  var running = root.getAttribute('data-running') === 'true';
  var message = document.getElementById('bgu-message');
  var timer = null;

  function say(text, failed) {
    message.textContent = text;
    message.className = 'bgu-message' + (failed ? ' bgu-failed' : '');
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, running ? 2000 : 15000);
  }

  function refresh() {
    fetch(base + '/status.json', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { if (!r.ok) { throw new Error('status ' + r.status); } return r.json(); })
      .then(function (s) {
        // keep what is being typed into a start-job field
        var typing = document.activeElement && document.activeElement.name === 'update' ? document.activeElement : null;
        if (!typing || !typing.value) {
          document.getElementById('bgu-status').innerHTML = s.html;
        }
        running = s.running;
        document.getElementById('bgu-refreshed').textContent = new Date().toLocaleTimeString();
      })
      .catch(function (e) { say('refresh failed: ' + e.message, true); })
      .then(schedule);
  }

  function post(action, database, update) {
    var body = new URLSearchParams();
    body.append('action', action);
    body.append('database', database);
    if (update !== null && update !== undefined) { body.append('update', update); }
    body.append('token', token);
    return fetch(base + '/action.json', { method: 'POST', credentials: 'same-origin', body: body })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (x) { say(x.ok ? x.j.message : 'error: ' + x.j.error, !x.ok); })
      .catch(function (e) { say('error: ' + e.message, true); })
      .then(refresh);
  }

  root.addEventListener('click', function (e) {
    var b = e.target.closest('button.bgu-do');
    if (!b) { return; }
    e.preventDefault();
    post(b.getAttribute('data-action'), b.getAttribute('data-database'), b.getAttribute('data-update'));
  });
  root.addEventListener('submit', function (e) {
    var f = e.target.closest('form.bgu-start');
    if (!f) { return; }
    e.preventDefault();
    var field = f.querySelector('input[name=update]');
    var update = field.value;
    field.value = '';
    post('start-job', f.getAttribute('data-database'), update);
  });
  schedule();
}());
