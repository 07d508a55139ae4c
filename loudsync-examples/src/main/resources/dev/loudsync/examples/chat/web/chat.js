// The LoudSync chat page: sign in, rooms, and one room over the LoudSync protocol 1.1.
// Plain JavaScript, no libraries; same-origin only (the host's Content-Security-Policy).
'use strict';

const $ = (id) => document.getElementById(id);
const TYPING_EVERY_MS = 2000; // how often TYPING is repeated while keys are pressed
const TYPING_SHOWN_MS = 6000; // a typing indicator whose stop was lost fades on its own
const tab = Math.random().toString(36).slice(2, 10);

let me = JSON.parse(sessionStorage.getItem('chat.me') || 'null'); // {token, userId, name}
let socket = null;
let room = null; // {roomId, name}
let joined = false;
let heartbeat = null;
let lastTyping = 0;
let requestCount = 0;
const shown = new Set(); // message ids on screen: a message is shown once
const typists = new Map(); // userId -> {name, timer}
const members = new Map(); // deviceId -> name

function show(section) {
  for (const id of ['login', 'lobby', 'room']) $(id).hidden = id !== section;
  $('me').hidden = !me;
  $('me').textContent = me ? 'Signed in as ' + me.name : '';
}

function status(text) {
  $('status').textContent = text || '';
}

async function api(method, path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (me) headers.Authorization = 'Bearer ' + me.token;
  const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const json = await r.json().catch(() => ({}));
  if (r.status === 401 && path !== '/api/login') signOut(json.error || 'Please sign in again');
  if (!r.ok) throw new Error(json.error || r.statusText);
  return json;
}

async function signIn(name) {
  me = await api('POST', '/api/login', { name });
  sessionStorage.setItem('chat.me', JSON.stringify(me));
}

function signOut(reason) {
  me = null;
  sessionStorage.removeItem('chat.me');
  closeRoom();
  show('login');
  status(reason);
}

async function showLobby() {
  closeRoom();
  history.replaceState(null, '', '/');
  show('lobby');
  const { rooms } = await api('GET', '/api/rooms');
  const list = $('rooms');
  list.replaceChildren();
  for (const r of rooms) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.room = r.roomId;
    b.textContent = r.name;
    const count = document.createElement('span');
    count.className = 'count';
    count.textContent = r.members ? r.members + ' here' : '';
    b.append(count);
    b.addEventListener('click', () => openRoom(r.roomId).catch((e) => status(e.message)));
    li.append(b);
    list.append(li);
  }
}

// A room is joined with the JOIN alone (its name comes in WELCOME): the host opens the room's
// session on demand, and a refused token shows here as the JOIN's ERROR.
async function openRoom(roomId) {
  closeRoom();
  room = { roomId };
  history.replaceState(null, '', '/?room=' + encodeURIComponent(roomId));
  $('room-name').textContent = '';
  $('messages').replaceChildren();
  shown.clear();
  members.clear();
  renderMembers();
  clearTypists();
  show('room');
  status('');
  connect();
}

function closeRoom() {
  if (socket) {
    const s = socket;
    socket = null;
    if (s.readyState === WebSocket.OPEN) send('LEAVE', {}, null, s);
    s.close();
  }
  clearInterval(heartbeat);
  joined = false;
  room = null;
  clearTypists();
}

function connect() {
  const s = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/');
  socket = s;
  joined = false;
  s.onopen = () => send('JOIN', {
    sessionId: room.roomId, deviceId: me.userId + ':' + tab, deviceName: me.name,
    version: '1.1.0', auth: me.token,
  });
  s.onmessage = (event) => { if (s === socket) receive(JSON.parse(event.data)); };
  s.onclose = (event) => {
    if (s !== socket) return;
    clearInterval(heartbeat);
    socket = null;
    if (event.code >= 4500 && event.code < 5000) return; // final: the ERROR said why
    status('Connection lost; reconnecting…');
    setTimeout(() => { if (room && !socket) connect(); }, 2000);
  };
}

function send(type, payload, id, to = socket) {
  const message = { type, timestamp: Date.now(), payload };
  if (id) message.id = id;
  to.send(JSON.stringify(message));
}

function receive(m) {
  const p = m.payload || {};
  switch (m.type) {
    case 'WELCOME':
      joined = true;
      $('room-name').textContent = p.sessionName;
      status('');
      heartbeat = setInterval(() => send('HEARTBEAT', { deviceId: me.userId + ':' + tab }), p.heartbeatIntervalMs || 5000);
      break;
    case 'MEMBER_LIST':
      members.clear();
      for (const member of p.members) members.set(member.id, member.name);
      renderMembers();
      break;
    case 'MEMBER_JOINED':
      members.set(p.member.id, p.member.name);
      renderMembers();
      break;
    case 'MEMBER_LEFT':
      members.delete(p.deviceId);
      renderMembers();
      break;
    case 'HISTORY':
      for (const message of p.messages) addMessage(message);
      break;
    case 'NEW_MESSAGE':
      addMessage(p);
      stopTypist(p.userId);
      break;
    case 'USER_TYPING':
      startTypist(p.userId, p.userName);
      break;
    case 'USER_STOPPED_TYPING':
      stopTypist(p.userId);
      break;
    case 'PING':
      send('PONG', { pingTimestamp: m.timestamp });
      break;
    case 'ERROR':
      if (!joined && p.code === 'UNAUTHORIZED') {
        signOut('Sign-in refused: ' + p.message);
      } else if (!joined && p.code === 'SESSION_NOT_FOUND') {
        status('No such room');
        showLobby().catch((e) => status(e.message));
      } else {
        status(p.message);
      }
      break;
    case 'SESSION_CLOSED':
      status('The room closed: ' + p.reason);
      break;
    default:
      break;
  }
}

function addMessage(m) {
  if (shown.has(m.id)) return;
  shown.add(m.id);
  const li = document.createElement('li');
  li.dataset.id = m.id;
  if (m.userId === me.userId) li.className = 'mine';
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = m.userName;
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = m.text;
  const time = document.createElement('time');
  time.dateTime = new Date(m.createdAt).toISOString();
  time.textContent = new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  li.append(who, text, time);
  const list = $('messages');
  // ids grow with time: keep the list in id order even if a message arrives late
  const after = [...list.children].find((other) => Number(other.dataset.id) > m.id);
  list.insertBefore(li, after || null);
  list.scrollTop = list.scrollHeight;
}

function renderMembers() {
  const list = $('members');
  list.replaceChildren();
  for (const [id, name] of members) {
    const li = document.createElement('li');
    li.dataset.id = id;
    li.textContent = name;
    list.append(li);
  }
}

function startTypist(userId, name) {
  const old = typists.get(userId);
  if (old) clearTimeout(old.timer);
  typists.set(userId, { name, timer: setTimeout(() => stopTypist(userId), TYPING_SHOWN_MS) });
  renderTypists();
}

function stopTypist(userId) {
  const old = typists.get(userId);
  if (!old) return;
  clearTimeout(old.timer);
  typists.delete(userId);
  renderTypists();
}

function clearTypists() {
  for (const t of typists.values()) clearTimeout(t.timer);
  typists.clear();
  renderTypists();
}

function renderTypists() {
  const names = [...typists.values()].map((t) => t.name);
  $('typing').textContent = names.length === 0 ? ''
    : names.join(', ') + (names.length === 1 ? ' is typing…' : ' are typing…');
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('name').value).then(showLobby).catch((e) => status(e.message));
});

$('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  api('POST', '/api/rooms', { name: $('new-room').value })
    .then((r) => { $('new-room').value = ''; return openRoom(r.roomId); })
    .catch((e) => status(e.message));
});

$('leave').addEventListener('click', () => showLobby().catch((e) => status(e.message)));

$('text').addEventListener('input', () => {
  if (!joined || !socket) return;
  const now = Date.now();
  if ($('text').value.trim() === '') {
    if (lastTyping) send('STOP_TYPING', {});
    lastTyping = 0;
  } else if (now - lastTyping > TYPING_EVERY_MS) {
    send('TYPING', {});
    lastTyping = now;
  }
});

$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('text').value;
  if (!joined || !socket || text.trim() === '') return;
  send('SEND_MESSAGE', { text }, 'm' + (++requestCount));
  $('text').value = '';
  lastTyping = 0;
});

window.addEventListener('pagehide', () => {
  if (socket && socket.readyState === WebSocket.OPEN) send('LEAVE', {});
});

async function start() {
  const params = new URLSearchParams(location.search);
  const name = params.get('name');
  const roomId = params.get('room');
  try {
    if (name && (!me || me.name !== name.trim())) await signIn(name);
    if (!me) {
      show('login');
      return;
    }
    if (roomId) await openRoom(roomId);
    else await showLobby();
  } catch (e) {
    if (me) showLobby().catch(() => show('login'));
    status(e.message);
  }
}

start();
