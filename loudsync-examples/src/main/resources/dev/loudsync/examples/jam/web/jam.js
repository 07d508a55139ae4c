// LoudSync Jam: a party's shared queue, played in sync on every phone.
// Plain JavaScript, no build step, no external requests. Protocol 1.1 over a same-origin WebSocket:
// requests carry an id and are answered by ACK or ERROR; the queue and playback arrive as the
// session's shared state (STATE, then STATE_PATCH merge patches).
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const S = {
    ws: null, code: null, name: '', deviceId: null, resumeToken: null, joined: false, final: false,
    retries: 0, members: new Map(), state: {}, version: 0, seq: 0, pending: new Map(),
    heartbeat: null, tracks: [],
  };
  const player = window.JamPlayer({
    send: (type, payload, envelope) => send(type, payload, envelope),
    soundChanged: () => soundButton(),
    error: (text) => status(text, 'error'),
  });
  const hostNow = player.hostNow;

  function soundButton() {
    $('sound').hidden = !S.joined || !player.blocked();
  }

  function deviceId() {
    let id = localStorage.getItem('loudsync.jam.deviceId');
    if (!id) {
      const bytes = new Uint8Array(8);
      crypto.getRandomValues(bytes);
      id = 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem('loudsync.jam.deviceId', id);
    }
    return id;
  }

  // The protocol's display form of a code: upper case, a 6-character code split by a dash.
  function displayCode(id) {
    const n = String(id).replace(/[-\s]/g, '').toUpperCase();
    return n.length === 6 ? n.slice(0, 3) + '-' + n.slice(3) : n;
  }

  function status(text, kind) {
    $('status').textContent = text || '';
    $('status').className = kind || '';
  }

  function send(type, payload, extra) {
    if (S.ws && S.ws.readyState === WebSocket.OPEN) {
      S.ws.send(JSON.stringify(Object.assign({ type, timestamp: Math.round(player.localNow()), payload: payload || {} }, extra)));
      return true;
    }
    return false;
  }

  // A request: resolves with the ACK's result, rejects with the ERROR (shown to the user).
  function request(type, payload) {
    const id = 'r' + (++S.seq);
    return new Promise((resolve, reject) => {
      if (!send(type, payload, { id })) {
        reject(new Error('Not connected'));
        return;
      }
      S.pending.set(id, { resolve, reject });
    }).catch((e) => {
      status(e.message, 'error');
      throw e;
    });
  }

  // ---- shared state: RFC 7386 merge patches

  function merge(target, patch) {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      return patch;
    }
    const out = (target && typeof target === 'object' && !Array.isArray(target)) ? Object.assign({}, target) : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) {
        delete out[k];
      } else {
        out[k] = merge(out[k], v);
      }
    }
    return out;
  }

  // ---- rendering

  const fmt = (ms) => {
    const s = Math.max(0, Math.floor(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  };

  function me() {
    return S.members.get(S.deviceId);
  }

  function canControl() {
    const m = me();
    return !!m && (m.role === 'host' || m.role === 'cohost');
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function voteButton(entry, value) {
    const mine = (entry.votes || {})[S.deviceId] || 0;
    const b = el('button', 'vote ' + (value > 0 ? 'up' : 'down'), value > 0 ? '▲' : '▼');
    b.type = 'button';
    b.setAttribute('aria-pressed', String(mine === value));
    b.setAttribute('aria-label', value > 0 ? 'Vote up' : 'Vote down');
    b.disabled = S.state.settings && S.state.settings.allowVoting === false;
    b.onclick = () => request('VOTE', { entryId: entry.entryId, value: mine === value ? 0 : value });
    return b;
  }

  function render() {
    const st = S.state;
    const queue = st.queue || [];
    $('queue').replaceChildren(...queue.map((e) => {
      const li = el('li');
      li.dataset.entry = e.entryId;
      const text = el('div', 'entry');
      text.append(el('span', 'title', e.title), el('span', 'muted', e.artist + ' · added by ' + e.addedByName));
      li.append(text, voteButton(e, 1), el('span', 'score', String(e.score)), voteButton(e, -1));
      if (e.addedBy === S.deviceId || canControl()) {
        const rm = el('button', 'remove secondary', '✕');
        rm.type = 'button';
        rm.setAttribute('aria-label', 'Remove');
        rm.onclick = () => request('QUEUE_REMOVE', { entryId: e.entryId });
        li.append(rm);
      }
      return li;
    }));
    $('queue-count').textContent = '(' + queue.length + ')';

    const np = st.nowPlaying;
    $('now-title').textContent = np ? np.title : 'Nothing playing';
    $('now-artist').textContent = np ? np.artist + ' · added by ' + np.addedByName : '';
    const skip = st.settings && st.settings.skipThreshold && st.settings.allowVoting !== false;
    $('now-votes').hidden = !np || !skip;
    if (np && skip) {
      const mine = (np.votes || {})[S.deviceId] || 0;
      $('now-down').setAttribute('aria-pressed', String(mine === -1));
      $('now-down').onclick = () => request('VOTE', { entryId: np.entryId, value: mine === -1 ? 0 : -1 });
    }

    const control = canControl();
    $('controls').hidden = !control;
    if (control) {
      const pb = st.playback || {};
      $('toggle').textContent = pb.playing ? 'Pause' : 'Play';
      $('toggle').disabled = !np;
      $('play-next').disabled = queue.length === 0;
      const set = st.settings || {};
      $('set-autoplay').checked = !!set.autoPlay;
      $('set-voting').checked = set.allowVoting !== false;
      $('set-skip').value = String(set.skipThreshold || 0);
    }
    renderMembers();
    renderCatalog();
    progress();
  }

  function renderMembers() {
    const list = Array.from(S.members.values()).sort((a, b) =>
      ((b.role === 'host') - (a.role === 'host')) || (a.joinedAt - b.joinedAt) || (a.id < b.id ? -1 : 1));
    const iHost = me() && me().role === 'host';
    $('members').replaceChildren(...list.map((m) => {
      const li = el('li');
      li.dataset.id = m.id;
      li.append(el('span', 'name', m.name + (m.id === S.deviceId ? ' (you)' : '')));
      if (m.role !== 'client') {
        li.append(el('span', 'badge', m.role));
      }
      if (iHost && m.id !== S.deviceId) {
        const b = el('button', 'secondary small', m.role === 'cohost' ? 'Make guest' : 'Make cohost');
        b.type = 'button';
        b.onclick = () => request('SET_ROLE', { deviceId: m.id, role: m.role === 'cohost' ? 'client' : 'cohost' });
        li.append(b);
      }
      return li;
    }));
    $('count').textContent = '(' + list.length + ')';
  }

  function renderCatalog() {
    if ($('catalog').childElementCount === S.tracks.length) {
      return;
    }
    $('catalog').replaceChildren(...S.tracks.map((t) => {
      const li = el('li');
      li.dataset.track = t.trackId;
      const text = el('div', 'entry');
      text.append(el('span', 'title', t.title), el('span', 'muted', t.artist + ' · ' + fmt(t.durationMs)));
      const add = el('button', 'add', 'Add');
      add.type = 'button';
      add.onclick = () => request('QUEUE_ADD', { trackId: t.trackId }).then(() => status('Added ' + t.title));
      li.append(text, add);
      return li;
    }));
  }

  function progress() {
    const np = S.state.nowPlaying;
    const pb = S.state.playback;
    if (!np || !pb) {
      $('now-progress').style.width = '0';
      $('now-time').textContent = '';
      return;
    }
    const pos = Math.min(np.durationMs, pb.playing ? pb.positionMs + Math.max(0, hostNow() - pb.at) : pb.positionMs);
    $('now-progress').style.width = (100 * pos / np.durationMs) + '%';
    $('now-time').textContent = fmt(pos) + ' / ' + fmt(np.durationMs) + (pb.playing ? '' : ' · paused');
  }
  setInterval(progress, 250);

  // ---- connection

  function onMessage(msg) {
    const p = msg.payload || {};
    switch (msg.type) {
      case 'WELCOME':
        S.joined = true;
        S.retries = 0;
        S.resumeToken = p.resumeToken || null;
        $('session-meta').textContent = 'Session ' + displayCode(p.sessionId) + ' · ' + p.sessionName;
        $('title').textContent = p.sessionName;
        status('Connected', 'ok');
        show(true);
        clearInterval(S.heartbeat);
        S.heartbeat = setInterval(() => send('HEARTBEAT', { deviceId: S.deviceId }), p.heartbeatIntervalMs || 5000);
        player.startPinging();
        break;
      case 'MEMBER_LIST':
        S.members = new Map(p.members.map((m) => [m.id, m]));
        render();
        break;
      case 'MEMBER_JOINED':
      case 'MEMBER_UPDATED':
        S.members.set(p.member.id, p.member);
        render();
        break;
      case 'MEMBER_LEFT':
        S.members.delete(p.deviceId);
        render();
        break;
      case 'HOST_CHANGED':
        for (const m of S.members.values()) {
          if (m.id === p.hostId) { m.role = 'host'; m.isHost = true; } else if (m.role === 'host') { m.role = 'client'; m.isHost = false; }
        }
        status(p.hostName + ' hosts now' + (p.hostId === S.deviceId ? ': you control the music' : ''), 'ok');
        render();
        break;
      case 'STATE':
        S.state = p.state;
        S.version = p.version;
        render();
        player.sync(S.state);
        break;
      case 'STATE_PATCH':
        S.state = merge(S.state, p.patch);
        S.version = p.version;
        render();
        player.sync(S.state);
        break;
      case 'ACK': {
        const r = S.pending.get(p.replyTo);
        S.pending.delete(p.replyTo);
        if (r) { r.resolve(p.result); }
        break;
      }
      case 'ERROR': {
        const r = p.replyTo && S.pending.get(p.replyTo);
        if (r) {
          S.pending.delete(p.replyTo);
          r.reject(new Error(p.message));
        } else {
          status(p.message, 'error');
        }
        break;
      }
      case 'PONG':
        player.pong(p);
        break;
      case 'PING':
        send('PONG', { pingTimestamp: msg.timestamp });
        break;
      case 'KICKED':
        end('You were removed: ' + p.reason);
        break;
      case 'SESSION_CLOSED':
        end('The session ended: ' + p.reason);
        break;
      default:
        break;
    }
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(scheme + location.host + '/');
    S.ws = ws;
    ws.onopen = () => {
      const join = { sessionId: S.code, deviceId: S.deviceId, deviceName: S.name, version: '1.1.0', capabilities: ['state'] };
      if (S.resumeToken) { join.resumeToken = S.resumeToken; }
      send('JOIN', join);
    };
    ws.onmessage = (e) => {
      try { onMessage(JSON.parse(e.data)); } catch (err) { console.error(err); }
    };
    ws.onclose = (e) => {
      clearInterval(S.heartbeat);
      player.stopPinging();
      for (const r of S.pending.values()) { r.reject(new Error('Connection lost')); }
      S.pending.clear();
      if (S.final || ws !== S.ws) {
        return;
      }
      // 4500-4999 are final: the status already says why (the ERROR before the close).
      if (e.code >= 4500 || !S.joined || S.retries >= 5) {
        end(null);
        return;
      }
      S.retries++;
      status('Connection lost; reconnecting…', 'error');
      setTimeout(connect, 500 * S.retries);
    };
  }

  function join(code, name) {
    S.code = displayCode(code.trim());
    S.name = name.trim();
    S.final = false;
    S.joined = false;
    S.resumeToken = null;
    player.reset();
    status('Joining…');
    player.unlock();
    history.replaceState(null, '', '/?session=' + encodeURIComponent(S.code));
    const link = location.origin + '/?session=' + encodeURIComponent(S.code);
    $('share').href = link;
    $('share').textContent = link;
    fetch('/api/tracks').then((r) => r.json()).then((t) => { S.tracks = t; render(); }, () => {});
    connect();
  }

  function end(text) {
    S.final = true;
    S.joined = false;
    player.stop();
    clearInterval(S.heartbeat);
    player.stopPinging();
    if (S.ws) { S.ws.close(1000); }
    show(false);
    if (text) { status(text, 'error'); }
    listSessions();
  }

  function show(room) {
    $('room').hidden = !room;
    $('home').hidden = room;
    soundButton();
  }

  function listSessions() {
    fetch('/api/sessions').then((r) => r.json()).then((list) => {
      if (!list.length) {
        $('sessions').replaceChildren(el('li', 'muted', 'None yet'));
        return;
      }
      $('sessions').replaceChildren(...list.map((s) => {
        const li = el('li');
        const b = el('button', 'secondary', s.name + ' · ' + s.sessionId + ' · ' + s.memberCount + ' here');
        b.type = 'button';
        b.onclick = () => { $('code').value = s.sessionId; $('name').focus(); };
        li.append(b);
        return li;
      }));
    }, () => {});
  }

  // ---- wiring

  $('join-form').onsubmit = (e) => {
    e.preventDefault();
    join($('code').value, $('name').value);
  };
  $('create-form').onsubmit = (e) => {
    e.preventDefault();
    player.unlock();
    fetch('/api/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: $('session-name').value }) })
      .then((r) => r.json().then((b) => { if (!r.ok) { throw new Error(b.error); } return b; }))
      .then((b) => join(b.sessionId, $('host-name').value), (err) => status(err.message, 'error'));
  };
  $('leave').onclick = () => {
    send('LEAVE', {});
    end('You left the session');
  };
  $('sound').onclick = player.unlock;
  $('play-next').onclick = () => request('PLAY_NEXT', {});
  $('toggle').onclick = () => request('PLAYBACK', { action: S.state.playback && S.state.playback.playing ? 'pause' : 'play' });
  $('set-autoplay').onchange = (e) => request('SETTINGS', { autoPlay: e.target.checked });
  $('set-voting').onchange = (e) => request('SETTINGS', { allowVoting: e.target.checked });
  $('set-skip').onchange = (e) => request('SETTINGS', { skipThreshold: Number(e.target.value) });
  document.querySelector('#now .bar').onclick = (e) => {
    const np = S.state.nowPlaying;
    if (!np || !canControl()) { return; }
    const r = e.currentTarget.getBoundingClientRect();
    request('PLAYBACK', { action: 'seek', positionMs: Math.round(np.durationMs * (e.clientX - r.left) / r.width) });
  };
  window.addEventListener('pagehide', () => { if (S.joined) { send('LEAVE', {}); } });

  // For tests and the curious: the clock estimate and the state.
  window.loudsyncJam = {
    offset: player.offset, samples: player.samples, state: () => S.state, hostNow, playing: player.playing,
  };

  S.deviceId = deviceId();
  const q = new URLSearchParams(location.search);
  if (q.get('session')) {
    $('code').value = q.get('session');
  }
  if (q.get('session') && q.get('name')) {
    join(q.get('session'), q.get('name'));
  } else {
    listSessions();
    status('');
  }
}());
