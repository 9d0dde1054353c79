/* The quiz-taking page: one question per screen, every answer saved on its own.
 *
 * Each choice gets a sequence number from a counter kept on the device (above
 * every number the server has seen) and is kept in localStorage until the
 * server confirms it; unconfirmed answers are retried with backoff, when the
 * network returns and when the page is reopened. The server stores a save only
 * when its seq is higher than the stored one, so a late retry never overwrites
 * a newer answer. Nothing here knows what is correct.
 */
(function () {
  "use strict";
  var root = document.getElementById("attempt");
  if (!root) return;
  var T = JSON.parse(document.getElementById("attempt-text").textContent);
  var apiUrl = root.dataset.api;
  var submitUrl = root.dataset.submit;
  var resultUrl = root.dataset.result;
  var storeKey = "xuefa-attempt-" + root.dataset.attempt;
  var csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || root.dataset.csrf;

  var attempt = null;          // what the server sent
  var local = load();          // {counter, answers: {qid: {value, seq, confirmed}}}
  var current = 0;
  var clockOffset = 0;         // server time − device time, in ms
  var closed = false;
  var inFlight = {};           // qid → true while a PUT is out
  var retryTimer = null;
  var retryDelay = 1000;
  var feedback = {};           // practice only: qid → what the server revealed once it was answered

  var el = {
    stem: document.getElementById("q-stem"),
    number: document.getElementById("q-number"),
    options: document.getElementById("q-options"),
    legend: document.getElementById("q-legend"),
    prev: document.getElementById("q-prev"),
    next: document.getElementById("q-next"),
    map: document.getElementById("q-map"),
    state: document.getElementById("save-state"),
    clock: document.getElementById("countdown"),
    submit: document.getElementById("submit-open"),
    dialog: document.getElementById("submit-dialog"),
    unanswered: document.getElementById("unanswered"),
    confirm: document.getElementById("submit-confirm"),
    cancel: document.getElementById("submit-cancel"),
    problem: document.getElementById("attempt-problem"),
    body: document.getElementById("attempt-body"),
    feedback: document.getElementById("q-feedback"),
  };

  function load() {
    try {
      var data = JSON.parse(localStorage.getItem(storeKey) || "null");
      if (data && data.answers) return data;
    } catch (e) { /* a broken entry is replaced below */ }
    return { counter: 0, answers: {} };
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(local)); } catch (e) { showProblem(T.storage_full); }
  }
  function showProblem(text) {
    el.problem.textContent = text;
    el.problem.hidden = !text;
  }

  function request(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /* --- loading and merging ------------------------------------------------ */
  function start() {
    request("GET", apiUrl).then(function (r) {
      if (!r.ok) throw r;
      return r.json();
    }).then(function (data) {
      attempt = data;
      if (data.status && data.status !== "open") { window.location.replace(resultUrl); return; }
      clockOffset = Date.parse(data.server_now) - Date.now();
      feedback = data.feedback || {};
      merge(data.answers || {});
      el.body.hidden = false;
      root.setAttribute("aria-busy", "false");
      show(0);
      tick();
      setInterval(tick, 1000);
      flush();
    }).catch(function () {
      showProblem(T.load_failed);
      setTimeout(start, 3000);
    });
  }

  function merge(serverAnswers) {
    Object.keys(serverAnswers).forEach(function (qid) {
      var s = serverAnswers[qid];
      var mine = local.answers[qid];
      if (s.seq > local.counter) local.counter = s.seq;
      if (!mine || mine.seq <= s.seq) {
        local.answers[qid] = { value: s.value, seq: s.seq, confirmed: true };
      }
      // a higher local seq is an answer the server has not seen yet: it stays pending and is sent
    });
    persist();
  }

  /* --- one question per screen -------------------------------------------- */
  function question(i) { return attempt.questions[i]; }
  function answerOf(q) { var a = local.answers[String(q.question_id)]; return a ? a.value : undefined; }
  function isAnswered(value) {
    if (value === undefined || value === null || value === "") return false;
    if (Array.isArray(value)) return value.length > 0;
    return true;
  }

  function show(i) {
    current = Math.max(0, Math.min(i, attempt.questions.length - 1));
    var q = question(current);
    el.number.textContent = T.question_n.replace("%(n)s", current + 1).replace("%(total)s", attempt.questions.length);
    el.stem.textContent = q.stem;
    el.legend.textContent = T.types[q.type] || "";
    el.options.innerHTML = "";
    var value = answerOf(q);
    var choices = q.type === "true_false"
      ? [{ key: true, text: T.true_text }, { key: false, text: T.false_text }]
      : q.options;
    if (q.type === "fill_in") {
      var label = document.createElement("label");
      label.setAttribute("for", "fill-" + q.question_id);
      label.textContent = T.your_answer;
      var input = document.createElement("input");
      input.type = "text"; input.id = "fill-" + q.question_id; input.value = value || "";
      input.addEventListener("change", function () { choose(q, input.value.trim()); });
      el.options.appendChild(label); el.options.appendChild(input);
    } else {
      choices.forEach(function (opt, n) {
        var id = "opt-" + q.question_id + "-" + n;
        var label = document.createElement("label");
        label.className = "option";
        label.setAttribute("for", id);
        var input = document.createElement("input");
        input.type = q.type === "multiple" ? "checkbox" : "radio";
        input.name = "q-" + q.question_id;
        input.id = id;
        input.value = String(opt.key);
        if (q.type === "true_false") input.checked = value === opt.key;
        else input.checked = Array.isArray(value) && value.indexOf(opt.key) !== -1;
        input.addEventListener("change", function () { choose(q, readValue(q)); });
        var span = document.createElement("span");
        span.textContent = opt.text;
        label.appendChild(input); label.appendChild(span);
        el.options.appendChild(label);
      });
    }
    var fb = feedback[String(q.question_id)];
    el.feedback.hidden = !fb;
    el.feedback.textContent = "";
    if (fb) {
      // a practice question is locked once answered, then its answer and explanation are shown
      el.options.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
      el.feedback.className = fb.correct ? "msg" : "notice";
      var lines = [fb.correct ? T.correct : T.wrong];
      if (!fb.correct) lines.push(T.answer_is + optionText(q, fb.correct_value));
      if (fb.explanation) lines.push(T.explanation + fb.explanation);
      if (fb.legal_basis) lines.push(T.legal_basis + fb.legal_basis);
      lines.forEach(function (line) { var p = document.createElement("p"); p.textContent = line; el.feedback.appendChild(p); });
    }
    el.prev.disabled = current === 0;
    el.next.disabled = current === attempt.questions.length - 1;
    renderMap();
    renderState();
  }

  function optionText(q, value) {
    if (typeof value === "boolean") return value ? T.true_text : T.false_text;
    var texts = {};
    (q.options || []).forEach(function (o) { texts[o.key] = o.text; });
    return (value || []).map(function (k) { return texts[k] || k; }).join("；");
  }

  function readValue(q) {
    var inputs = el.options.querySelectorAll("input");
    if (q.type === "true_false") {
      for (var i = 0; i < inputs.length; i++) if (inputs[i].checked) return inputs[i].value === "true";
      return undefined;
    }
    var keys = [];
    for (var j = 0; j < inputs.length; j++) if (inputs[j].checked) keys.push(inputs[j].value);
    return keys;
  }

  function renderMap() {
    el.map.innerHTML = "";
    attempt.questions.forEach(function (q, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = String(i + 1);
      var a = local.answers[String(q.question_id)];
      var answered = a && isAnswered(a.value);
      if (answered) b.className = a.confirmed ? "answered" : "unsaved";
      b.setAttribute("aria-label", T.map_item.replace("%(n)s", i + 1) + " " +
        (answered ? (a.confirmed ? T.saved : T.not_saved_yet) : T.unanswered));
      if (i === current) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () { show(i); });
      el.map.appendChild(b);
    });
  }

  function pendingIds() {
    return Object.keys(local.answers).filter(function (qid) { return !local.answers[qid].confirmed; });
  }

  function renderState() {
    var pending = pendingIds().length;
    var state, text;
    if (closed) { state = "closed"; text = T.closed; }
    else if (pending && !navigator.onLine) { state = "offline"; text = T.offline.replace("%(n)s", pending); }
    else if (pending) { state = "pending"; text = T.saving.replace("%(n)s", pending); }
    else { state = "saved"; text = T.all_saved; }
    el.state.dataset.state = state;
    el.state.textContent = text;
  }

  /* --- saving ------------------------------------------------------------- */
  function choose(q, value) {
    if (closed) return;
    local.counter += 1;
    local.answers[String(q.question_id)] = { value: value, seq: local.counter, confirmed: false };
    persist();
    renderMap();
    renderState();
    send(String(q.question_id));
  }

  function send(qid) {
    if (inFlight[qid] || closed) return;
    var a = local.answers[qid];
    if (!a || a.confirmed) return;
    inFlight[qid] = true;
    var sentSeq = a.seq;
    request("PUT", apiUrl + "answers/" + encodeURIComponent(qid) + "/", { value: a.value, seq: sentSeq })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
      })
      .then(function (res) {
        inFlight[qid] = false;
        if (res.status === 200) {
          var stored = res.body || {};
          var mine = local.answers[qid];
          var storedSeq = typeof stored.seq === "number" ? stored.seq : sentSeq;
          if (storedSeq > local.counter) local.counter = storedSeq;
          if (mine.seq <= storedSeq || storedSeq < sentSeq) {
            // confirmed; or the server holds another answer it will keep: a newer one from another
            // device, or (practice) the first answer, which locks the question — take the server's
            var same = storedSeq === mine.seq;
            local.answers[qid] = { value: same ? mine.value : stored.value, seq: storedSeq, confirmed: true };
            if (!same && question(current) && String(question(current).question_id) === qid) show(current);
          }
          if (stored.feedback) {
            feedback[qid] = stored.feedback;
            if (question(current) && String(question(current).question_id) === qid) show(current);
          }
          retryDelay = 1000;
          persist();
          renderMap(); renderState();
          if (!local.answers[qid].confirmed) send(qid);  // chosen again while this one was out
          return;
        }
        if (res.status === 409 && res.body && res.body.code === "attempt_closed") { closeDown(); return; }
        if (res.status === 401 || res.status === 403) { showProblem(T.signed_out); scheduleRetry(); return; }
        if (res.status >= 400 && res.status < 500) { showProblem(T.refused + " " + (res.body.message || "")); return; }
        scheduleRetry();
      })
      .catch(function () { inFlight[qid] = false; renderState(); scheduleRetry(); });
  }

  function flush() { pendingIds().forEach(send); renderState(); }

  function scheduleRetry() {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  window.addEventListener("online", function () { retryDelay = 1000; showProblem(""); flush(); });
  window.addEventListener("offline", renderState);

  /* --- the clock ---------------------------------------------------------- */
  function tick() {
    if (!attempt || closed) return;
    var left = Math.max(0, Date.parse(attempt.deadline) - (Date.now() + clockOffset));
    var s = Math.floor(left / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    el.clock.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(sec).padStart(2, "0");
    el.clock.classList.toggle("low", s < 300);
    if (left <= 0) closeDown();
  }

  function closeDown() {
    if (closed) return;
    closed = true;
    renderState();
    // the server grades what it stored before the deadline; submitting again is harmless
    request("POST", submitUrl, {}).finally(function () { window.location.replace(resultUrl); });
  }

  /* --- submit ------------------------------------------------------------- */
  function openSubmit() {
    var missing = [];
    attempt.questions.forEach(function (q, i) { if (!isAnswered(answerOf(q))) missing.push(i + 1); });
    el.unanswered.textContent = missing.length
      ? T.unanswered_list.replace("%(n)s", missing.length) + " " + missing.join("、")
      : T.all_answered;
    var pending = pendingIds().length;
    if (pending) el.unanswered.textContent += " " + T.wait_saving.replace("%(n)s", pending);
    el.dialog.showModal();
  }

  function confirmSubmit() {
    flush();
    if (pendingIds().length) {
      el.unanswered.textContent = T.wait_saving.replace("%(n)s", pendingIds().length);
      setTimeout(function () { if (el.dialog.open && !pendingIds().length) confirmSubmit(); }, 1000);
      return;
    }
    el.confirm.disabled = true;
    request("POST", submitUrl, {}).then(function (r) {
      if (r.ok || r.status === 409) { closed = true; try { localStorage.removeItem(storeKey); } catch (e) {} window.location.replace(resultUrl); return; }
      throw r;
    }).catch(function () {
      el.confirm.disabled = false;
      el.unanswered.textContent = T.submit_failed;
    });
  }

  el.prev.addEventListener("click", function () { show(current - 1); });
  el.next.addEventListener("click", function () { show(current + 1); });
  el.submit.addEventListener("click", openSubmit);
  el.cancel.addEventListener("click", function () { el.dialog.close(); });
  el.confirm.addEventListener("click", confirmSubmit);
  window.addEventListener("beforeunload", function (e) {
    if (!closed && pendingIds().length) { e.preventDefault(); e.returnValue = ""; }
  });
  start();
})();
