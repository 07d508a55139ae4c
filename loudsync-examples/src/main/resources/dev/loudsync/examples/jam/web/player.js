// LoudSync Jam's player: the host's clock, estimated from PING/PONG round trips, and the current
// track played with Web Audio at the moment that clock says. Used by jam.js; plain JavaScript.
// hooks: send(type, payload, envelope), soundChanged() when audio becomes blocked or unblocked,
// error(text).
window.JamPlayer = function (hooks) {
  'use strict';

  const clock = { pings: new Map(), samples: [], offset: null, timer: null };
  const audio = { ctx: null, buffers: new Map(), source: null, key: null, startCtx: 0, startPos: 0 };
  let state = {};

  // The device's clock in ms since the epoch, with sub-millisecond resolution. Phones' wall clocks
  // disagree by seconds; the offset to the host's clock absorbs that.
  const localNow = () => performance.timeOrigin + performance.now();
  const hostNow = () => localNow() + (clock.offset || 0);
  const send = (type, payload, envelope) => hooks.send(type, payload, envelope);

  // ---- clock estimate: keep the samples with the lowest round trip

  function ping() {
    let t = Math.round(localNow());
    while (clock.pings.has(t)) {
      t++;
    }
    clock.pings.set(t, localNow());
    send('PING', {}, { timestamp: t });
  }

  function pong(p) {
    const t0 = clock.pings.get(p.pingTimestamp);
    if (t0 === undefined) {
      return;
    }
    clock.pings.delete(p.pingTimestamp);
    const t1 = localNow();
    clock.samples.push({ rtt: t1 - t0, offset: p.serverTime - (t0 + t1) / 2 });
    if (clock.samples.length > 60) {
      clock.samples.shift();
    }
    if (clock.samples.length >= 5) {
      // The fastest round trips were the least delayed one way or the other: average the best three.
      const best = clock.samples.slice().sort((a, b) => a.rtt - b.rtt).slice(0, 3);
      clock.offset = best.reduce((s, x) => s + x.offset, 0) / best.length;
      sync(state);
    }
  }

  function startPinging() {
    clearInterval(clock.timer);
    let burst = 0;
    // A burst for a quick estimate, then one a second: a busy phone or Wi-Fi delays most round
    // trips, and the more there are, the likelier a few of them went through undelayed.
    clock.timer = setInterval(() => {
      ping();
      if (++burst === 20) {
        clearInterval(clock.timer);
        clock.timer = setInterval(ping, 1000);
      }
    }, 50);
  }

  // ---- audio: Web Audio, scheduled on the host's clock

  function context() {
    if (!audio.ctx) {
      const AC = window.AudioContext || window.webkitAudioContext;
      audio.ctx = new AC({ latencyHint: 'interactive' });
      audio.ctx.onstatechange = () => { hooks.soundChanged(); sync(state); };
    }
    return audio.ctx;
  }

  function unlock() {
    const c = context();
    if (c.state !== 'running') {
      c.resume().then(hooks.soundChanged, () => {});
    }
  }

  function load(trackId) {
    if (!audio.buffers.has(trackId)) {
      const p = fetch('/media/' + encodeURIComponent(trackId))
        .then((r) => { if (!r.ok) { throw new Error('Cannot load track ' + trackId); } return r.arrayBuffer(); })
        .then((bytes) => context().decodeAudioData(bytes));
      p.catch(() => audio.buffers.delete(trackId));
      audio.buffers.set(trackId, p);
    }
    return audio.buffers.get(trackId);
  }

  // The context time at which a sound scheduled now is heard at performance time perfMs.
  function contextTimeAt(perfMs) {
    const c = context();
    const ts = c.getOutputTimestamp ? c.getOutputTimestamp() : null;
    if (ts && ts.performanceTime > 0) {
      return ts.contextTime + (perfMs - ts.performanceTime) / 1000;
    }
    return c.currentTime + (perfMs - performance.now()) / 1000 - (c.outputLatency || c.baseLatency || 0);
  }

  const hostToPerf = (hostMs) => hostMs - clock.offset - performance.timeOrigin;

  function stopSource() {
    if (audio.source) {
      try { audio.source.stop(); } catch (e) { /* already stopped */ }
      audio.source.disconnect();
      audio.source = null;
    }
  }

  // Plays what the state says, from where the host's clock says it is.
  function sync(newState) {
    state = newState || {};
    const np = state.nowPlaying;
    const pb = state.playback;
    const key = np && pb && pb.playing ? [np.entryId, pb.positionMs, pb.at].join('|') : null;
    if (audio.ctx || state.queue) {
      // Fetch and decode ahead: the playing track and the next two, so a start finds them ready.
      [np].concat((state.queue || []).slice(0, 2)).forEach((e) => { if (e) { load(e.trackId).catch(() => {}); } });
    }
    if (key === null) {
      stopSource();
      audio.key = null;
      return;
    }
    if (key === audio.key || clock.offset === null || context().state !== 'running') {
      hooks.soundChanged();
      return;
    }
    audio.key = key;
    load(np.trackId).then((buffer) => {
      if (audio.key !== key) {
        return;
      }
      stopSource();
      // Start at the shared instant when it is still ahead, else a little from now, further in.
      const hostStart = Math.max(pb.at, hostNow() + 60);
      const position = (pb.positionMs + (hostStart - pb.at)) / 1000;
      if (position >= buffer.duration) {
        return;
      }
      const c = context();
      const src = c.createBufferSource();
      src.buffer = buffer;
      src.connect(c.destination);
      const when = contextTimeAt(hostToPerf(hostStart));
      src.start(when, position);
      audio.source = src;
      audio.startCtx = when;
      audio.startPos = position;
    }, (e) => hooks.error(e.message));
  }

  // Audio clocks drift from the system's (tens of ppm): re-align when off by more than 30 ms.
  setInterval(() => {
    const pb = state.playback;
    if (!audio.source || !pb || !pb.playing || clock.offset === null) {
      return;
    }
    const heard = audio.startPos + (contextTimeAt(performance.now()) - audio.startCtx);
    const should = (pb.positionMs + (hostNow() - pb.at)) / 1000;
    if (heard > 0 && Math.abs(heard - should) > 0.03) {
      audio.key = null;
      sync(state);
    }
  }, 2000);

  return {
    localNow, hostNow, pong, startPinging, unlock, sync,
    stopPinging: () => clearInterval(clock.timer),
    reset: () => { clearInterval(clock.timer); clock.pings.clear(); clock.samples = []; clock.offset = null; },
    stop: () => { stopSource(); audio.key = null; },
    blocked: () => !!audio.ctx && audio.ctx.state !== 'running',
    playing: () => !!audio.source,
    offset: () => clock.offset,
    samples: () => clock.samples.length,
  };
};
