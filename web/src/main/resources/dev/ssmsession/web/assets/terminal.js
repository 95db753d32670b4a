// The browser terminal of ssm-session: xterm.js on a WebSocket to a WebTerminalBridge (message format in its javadoc).
(function () {
  'use strict';

  // Pastes go out in pieces of this size, and only while the socket's send buffer is below the high mark, so a paste
  // of any size waits in this queue, in order, instead of piling up in the browser's socket buffer.
  var INPUT_CHUNK = 16 * 1024;
  var INPUT_HIGH_MARK = 256 * 1024;
  // The server waits for acks once 1 MiB is unacknowledged; acking every 64 KiB keeps it flowing.
  var ACK_EVERY = 64 * 1024;

  var statusEl = document.getElementById('status');
  var params = new URLSearchParams(location.search);

  // What tests and curious users can read: the state of this tab's session.
  var session = { state: 'starting', sessionId: null, exitCode: null, message: '' };
  window.ssmSession = session;

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = kind || '';
  }

  function start() {
    var target = params.get('target');
    if (target) {
      openTerminal(target);
      return;
    }
    fetch('api/config', { cache: 'no-store' }).then(function (r) {
      return r.ok ? r.json() : null;
    }).catch(function () {
      return null;
    }).then(function (config) {
      if (config && config.target) {
        openTerminal(config.target);
      } else if (config && config.instances) {
        showPicker();
      } else if (config) {
        setStatus('No target: add ?target=<instance id> to the address.', 'failed');
      } else {
        openTerminal(null); // embedded in an application that decides the target itself
      }
    });
  }

  function showPicker() {
    var picker = document.getElementById('picker');
    var note = document.getElementById('picker-note');
    var table = document.getElementById('instances');
    picker.hidden = false;
    setStatus('Pick an instance (open several in tabs for several sessions)');
    fetch('api/instances', { cache: 'no-store' }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) {
          throw new Error(body.error || ('HTTP ' + r.status));
        }
        return body.instances;
      });
    }).then(function (instances) {
      if (instances.length === 0) {
        note.textContent = 'No managed instances in this account and region.';
        return;
      }
      note.textContent = instances.length + ' managed instance' + (instances.length === 1 ? '' : 's') + ':';
      var body = table.querySelector('tbody');
      instances.forEach(function (i) {
        var row = document.createElement('tr');
        if (i.pingStatus && i.pingStatus !== 'Online') {
          row.className = 'offline';
        }
        var link = document.createElement('a');
        link.href = '?target=' + encodeURIComponent(i.id);
        link.textContent = i.id;
        var cells = [link, i.name, i.platform, i.pingStatus];
        cells.forEach(function (c) {
          var td = document.createElement('td');
          if (typeof c === 'string') {
            td.textContent = c;
          } else {
            td.appendChild(c);
          }
          row.appendChild(td);
        });
        body.appendChild(row);
      });
      table.hidden = false;
    }).catch(function (e) {
      note.textContent = 'Could not list the managed instances: ' + e.message;
      note.className = 'failed';
    });
  }

  function openTerminal(target) {
    var container = document.getElementById('terminal');
    container.hidden = false;
    var term = new Terminal({ cursorBlink: true, scrollback: 10000, allowProposedApi: false });
    var fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(container);
    fit.fit();
    term.focus();
    window.ssmTerminal = term; // tests read the screen through xterm's buffer API
    if (target) {
      document.title = target + ' — ssm-session';
    }

    var url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    if (target) {
      url.searchParams.set('target', target);
    }
    url.searchParams.set('cols', term.cols);
    url.searchParams.set('rows', term.rows);
    var ws = new WebSocket(url.href);
    ws.binaryType = 'arraybuffer';
    setStatus('Connecting…');

    var encoder = new TextEncoder();
    var queue = [];
    var pumping = false;
    var unacked = 0;

    function pump() {
      pumping = false;
      while (queue.length > 0 && ws.readyState === WebSocket.OPEN) {
        if (ws.bufferedAmount > INPUT_HIGH_MARK) {
          pumping = true;
          setTimeout(pump, 10);
          return;
        }
        ws.send(queue.shift());
      }
    }

    function send(bytes) {
      if (session.state !== 'live') {
        return;
      }
      for (var i = 0; i < bytes.length; i += INPUT_CHUNK) {
        queue.push(bytes.subarray(i, i + INPUT_CHUNK));
      }
      if (!pumping) {
        pump();
      }
    }

    function control(message) {
      if (ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify(message));
      }
    }

    term.onData(function (data) {
      send(encoder.encode(data));
    });
    term.onBinary(function (data) {
      var bytes = new Uint8Array(data.length);
      for (var i = 0; i < data.length; i++) {
        bytes[i] = data.charCodeAt(i) & 0xff;
      }
      send(bytes);
    });
    term.onResize(function (size) {
      control({ type: 'resize', cols: size.cols, rows: size.rows });
    });
    var resizePending = false;
    window.addEventListener('resize', function () {
      if (!resizePending) {
        resizePending = true;
        requestAnimationFrame(function () {
          resizePending = false;
          fit.fit();
        });
      }
    });

    ws.onmessage = function (event) {
      if (typeof event.data === 'string') {
        onControl(JSON.parse(event.data));
        return;
      }
      var bytes = new Uint8Array(event.data);
      // xterm.js decodes UTF-8 across writes, so a character split between two messages still renders whole.
      term.write(bytes, function () {
        unacked += bytes.length;
        if (unacked >= ACK_EVERY) {
          control({ type: 'ack', bytes: unacked });
          unacked = 0;
        }
      });
    };

    function onControl(m) {
      if (m.type === 'status') {
        setStatus(m.message);
      } else if (m.type === 'ready') {
        session.state = 'live';
        session.sessionId = m.sessionId;
        setStatus((target || 'session') + ' · ' + m.sessionId, 'live');
        control({ type: 'resize', cols: term.cols, rows: term.rows });
      } else if (m.type === 'ended') {
        session.state = 'ended';
        session.exitCode = m.exitCode;
        session.message = m.message;
        var how = m.exitCode === null || m.exitCode === undefined ? '' : ' with exit status ' + m.exitCode;
        term.write('\r\n\x1b[1;33m[session ended' + how + ']\x1b[0m\r\n');
        setStatus('Session ended' + how + (m.message ? ': ' + m.message : ''), 'ended');
      } else if (m.type === 'failed') {
        session.state = 'failed';
        session.message = m.message;
        term.write('\r\n\x1b[1;31m[' + m.message + ']\x1b[0m\r\n');
        setStatus(m.message, 'failed');
      }
    }

    ws.onclose = function () {
      if (session.state === 'live' || session.state === 'starting') {
        session.state = 'disconnected';
        setStatus('Disconnected from ssm-session (the server stopped or the network failed)', 'failed');
        term.write('\r\n\x1b[1;31m[disconnected]\x1b[0m\r\n');
      }
    };
  }

  start();
}());
