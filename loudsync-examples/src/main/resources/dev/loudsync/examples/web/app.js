// LoudSync guest page: joins the session served by this host over a same-origin WebSocket.
// Plain JavaScript, no build step, no external requests.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const store = window.localStorage;
  const state = {
    info: null, ws: null, deviceId: null, name: '', pin: null, resumeToken: null,
    members: new Map(), heartbeat: null, retries: 0, retryTimer: null, final: false, joined: false,
    // A host that vanished without closing is noticed from its own heartbeat timeout: nothing heard
    // for that long (a page cannot see WebSocket pings, so it PINGs with each heartbeat and any
    // message counts) means the connection is lost. TCP alone would take minutes to say so.
    heardAt: 0, hostTimeoutMs: 15000, watchdog: null, attemptTimer: null,
  };

  function deviceId() {
    let id = store.getItem('loudsync.deviceId');
    if (!id) {
      const bytes = new Uint8Array(8);
      crypto.getRandomValues(bytes);
      id = 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      store.setItem('loudsync.deviceId', id);
    }
    return id;
  }

  function status(text, kind) {
    const el = $('status');
    el.textContent = text;
    el.className = kind || '';
  }

  function send(type, payload) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) {
      state.ws.send(JSON.stringify({ type, timestamp: Date.now(), payload: payload || {} }));
    }
  }

  // ---- member list: the last MEMBER_LIST plus the changes since

  function render() {
    const list = Array.from(state.members.values()).sort((a, b) =>
      (b.isHost - a.isHost) || (a.joinedAt - b.joinedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const ul = $('members');
    ul.replaceChildren(...list.map((m) => {
      const li = document.createElement('li');
      li.dataset.id = m.id;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = m.name + (m.id === state.deviceId ? ' (you)' : '');
      li.append(name);
      if (m.isHost || m.role === 'host') {
        li.append(badge('host', ''));
      }
      if (m.connectionStatus === 'reconnecting') {
        li.append(badge('reconnecting', 'away'));
      }
      if (typeof m.latency === 'number') {
        const l = document.createElement('span');
        l.className = 'latency';
        l.textContent = m.latency + ' ms';
        li.append(l);
      }
      return li;
    }));
    $('count').textContent = '(' + list.length + (state.info ? '/' + state.info.maxMembers : '') + ')';
  }

  function badge(text, extra) {
    const b = document.createElement('span');
    b.className = 'badge ' + extra;
    b.textContent = text;
    return b;
  }

  function chatLine(from, text) {
    const li = document.createElement('li');
    const who = document.createElement('span');
    who.className = 'from';
    const member = state.members.get(from);
    who.textContent = member ? member.name : from;
    const what = document.createElement('span');
    what.textContent = text;
    li.append(who, what);
    $('chat-log').append(li);
    li.scrollIntoView({ block: 'end' });
  }

  // ---- protocol

  function onMessage(event) {
    state.heardAt = Date.now();
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    const p = msg.payload || {};
    switch (msg.type) {
      case 'WELCOME':
        state.resumeToken = p.resumeToken || null;
        state.joined = true;
        state.retries = 0;
        clearTimeout(state.attemptTimer);
        watchHost(p.heartbeatIntervalMs || 5000, p.heartbeatTimeoutMs || 15000);
        $('join-form').hidden = true;
        $('room').hidden = false;
        status('Connected', 'ok');
        break;
      case 'JOIN_PENDING':
        status('Waiting for the host to approve…', 'warn');
        break;
      case 'MEMBER_LIST':
        state.members = new Map((p.members || []).map((m) => [m.id, m]));
        render();
        break;
      case 'MEMBER_JOINED':
      case 'MEMBER_UPDATED':
        state.members.set(p.member.id, p.member);
        render();
        break;
      case 'MEMBER_LEFT':
        state.members.delete(p.deviceId);
        render();
        break;
      case 'MEMBERS_CHANGED':
        (p.left || []).forEach((d) => state.members.delete(d.deviceId));
        (p.joined || []).forEach((m) => state.members.set(m.id, m));
        (p.updated || []).forEach((m) => state.members.set(m.id, m));
        render();
        break;
      case 'CHAT':
        chatLine(p.from, p.text);
        break;
      case 'PING':
        send('PONG', { pingTimestamp: msg.timestamp });
        break;
      case 'KICKED':
        end('You were kicked' + (p.reason ? ': ' + p.reason : ''));
        break;
      case 'SESSION_CLOSED':
        end('The session ended');
        break;
      case 'ERROR':
        onError(p.code, p.message);
        break;
      default:
        break;
    }
  }

  function onError(code, message) {
    const text = {
      SESSION_FULL: 'The session is full',
      SESSION_NOT_FOUND: 'This session is over',
      VERSION_MISMATCH: 'This page is too old for the host',
      RATE_LIMITED: 'Too many attempts; wait a moment',
    }[code];
    if (code === 'UNAUTHORIZED') {
      if (message === 'Join request denied') {
        end('The host declined your request');
      } else if (/PIN/i.test(message || '')) {
        state.final = true;
        status('Wrong PIN', 'error');
        showJoinForm();
      } else if (!state.joined) {
        end(message || 'Not allowed');
      }
    } else if (text && !state.joined) {
      end(text);
    }
  }

  function watchHost(intervalMs, timeoutMs) {
    stopTimers();
    state.hostTimeoutMs = timeoutMs;
    state.heardAt = Date.now();
    state.heartbeat = setInterval(() => {
      send('HEARTBEAT', { deviceId: state.deviceId });
      send('PING', {});
    }, intervalMs);
    const ws = state.ws;
    state.watchdog = setInterval(() => {
      if (Date.now() - state.heardAt >= timeoutMs) {
        lost(ws, 1006, 'The host is not answering; reconnecting…');
      }
    }, Math.min(1000, Math.max(100, timeoutMs / 3)));
  }

  function stopTimers() {
    clearInterval(state.heartbeat);
    clearInterval(state.watchdog);
    clearTimeout(state.attemptTimer);
  }

  function end(text) {
    state.final = true;
    stopTimers();
    status(text, 'error');
    $('chat-input').disabled = true;
    $('chat-send').disabled = true;
    $('leave').disabled = true;
  }

  function showJoinForm() {
    $('join-form').hidden = false;
    $('room').hidden = true;
    $('join').disabled = false;
  }

  function connect() {
    state.final = false;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(scheme + '://' + location.host + '/');
    state.ws = ws;
    ws.onopen = () => {
      const payload = {
        sessionId: state.info.sessionId, deviceId: state.deviceId, deviceName: state.name,
        version: '1.0.0', capabilities: ['membersChanged'],
      };
      if (state.pin) {
        payload.pin = state.pin;
      }
      if (state.resumeToken) {
        payload.resumeToken = state.resumeToken;
      }
      send('JOIN', payload);
    };
    ws.onmessage = onMessage;
    ws.onclose = (event) => lost(ws, event.code, 'Connection lost; reconnecting…');
    if (state.joined) {
      // A host that is still frozen may accept the connection and never answer it: try again.
      state.attemptTimer = setTimeout(() => lost(ws, 1006, 'The host is not answering; reconnecting…'),
        Math.max(state.hostTimeoutMs, 5000));
    }
  }

  // The connection ended (close code), or the host fell silent (1006): reconnect or give up.
  function lost(ws, code, text) {
    if (state.ws !== ws || state.final) {
      return;
    }
    stopTimers();
    state.ws = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) {
      ws.close(); // the host may never see it; nothing more is read from this socket anyway
    }
    const reconnectable = (code >= 4000 && code <= 4499) || code === 1001 || code === 1006
      || (code >= 1011 && code <= 1013);
    if (state.joined && reconnectable) {
      const delay = Math.min(30000, 500 * Math.pow(2, state.retries++)) * (0.5 + Math.random() / 2);
      status(text, 'warn');
      state.retryTimer = setTimeout(connect, delay);
    } else if (!state.joined) {
      status('Could not join (' + code + ')', 'error');
      showJoinForm();
    } else {
      end('Disconnected');
    }
  }

  // ---- page

  async function loadInfo() {
    try {
      const response = await fetch('/session', { cache: 'no-store' });
      state.info = await response.json();
    } catch (e) {
      status('This host has no session open', 'error');
      return;
    }
    $('session-name').textContent = state.info.sessionName;
    $('session-meta').textContent = 'Hosted by ' + state.info.hostName + ' · code ' + state.info.sessionId;
    $('pin-row').hidden = !state.info.pinRequired;
    document.title = state.info.sessionName + ' · LoudSync';
  }

  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('name').value.trim();
    if (!name || !state.info) {
      return;
    }
    state.name = name;
    store.setItem('loudsync.name', name);
    state.pin = state.info.pinRequired ? $('pin').value : null;
    $('join').disabled = true;
    status('Joining…');
    connect();
  });

  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-input').value.trim();
    if (text) {
      send('CHAT', { text });
      $('chat-input').value = '';
    }
  });

  $('leave').addEventListener('click', () => {
    state.final = true;
    send('LEAVE', {});
    clearTimeout(state.retryTimer);
    end('You left the session');
  });

  state.deviceId = deviceId();
  $('name').value = store.getItem('loudsync.name') || '';
  loadInfo();
})();
