/* Large uploads on the Upload page (an Apple Health export of gigabytes): the file is sent in
 * 8 MB chunks to /upload/chunked (dashboard/chunked_upload.py), then the import is followed
 * until it is done, when the page's Dash callback shows the result lines.
 *
 * Dash has no file input component, so one is put into #upload-chunked-picker whenever the
 * page is shown (a MutationObserver: Dash draws pages after this script runs). */
(function () {
  "use strict";
  var URL = "/upload/chunked";
  var CHUNK_BYTES = 8 * 1024 * 1024;
  var RETRIES = 3;
  var POLL_MS = 1000;

  function addPicker() {
    var box = document.getElementById("upload-chunked-picker");
    if (box && !document.getElementById("upload-chunked-file")) {
      var input = document.createElement("input");
      input.type = "file";
      input.id = "upload-chunked-file";
      input.accept = ".zip,.xml,.fit,.gpx,.tcx,.gz";
      box.appendChild(input);
    }
  }

  function show(text, percent) {
    var status = document.getElementById("upload-chunked-status");
    var bar = document.getElementById("upload-chunked-progress");
    if (status) { status.textContent = text; }
    if (bar) {
      bar.hidden = percent === null;
      if (percent !== null) { bar.value = percent; }
    }
  }

  /* The page's token for changes (the cookie Dash's renderer sends as X-CSRFToken too). */
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )_csrf_token=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function mb(bytes) { return (bytes / 1048576).toFixed(0) + " MB"; }

  async function answer(response) {
    var body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (!response.ok) { throw new Error(body.error || ("the server answered " + response.status)); }
    return body;
  }

  async function sendChunk(id, file, start) {
    var end = Math.min(start + CHUNK_BYTES, file.size);
    for (var attempt = 1; ; attempt++) {
      try {
        var response = await fetch(URL + "/" + id, {
          method: "PUT", body: file.slice(start, end),
          headers: {"Content-Type": "application/octet-stream", "X-CSRFToken": csrfToken(),
                    "Content-Range": "bytes " + start + "-" + (end - 1) + "/" + file.size}});
        return await answer(response);
      } catch (error) {
        if (attempt >= RETRIES || error.message.indexOf("fetch") < 0) { throw error; }
      }
    }
  }

  function wait(ms) { return new Promise(function (done) { setTimeout(done, ms); }); }

  async function follow(id, name) {
    for (;;) {
      var status = await answer(await fetch(URL + "/" + id));
      if (status.state === "done") { return; }
      if (status.state === "failed") { throw new Error(status.error); }
      if (status.read_total) {
        var percent = Math.floor(100 * status.read / status.read_total);
        show("Importing " + name + ": reading " + percent + " % (" + status.files +
             " files so far)", percent);
      } else {
        show("Importing " + name + ": " + status.files + " files so far", null);
      }
      await wait(POLL_MS);
    }
  }

  async function upload(file) {
    show("Starting the upload of " + file.name, 0);
    var started = await answer(await fetch(URL, {
      method: "POST", headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify({name: file.name, size: file.size})}));
    var received = 0;
    while (received < file.size) {
      received = (await sendChunk(started.id, file, received)).received;
      show("Sending " + file.name + ": " + mb(received) + " of " + mb(file.size),
           Math.floor(100 * received / file.size));
    }
    await follow(started.id, file.name);
    show("Imported " + file.name + ".", null);
    if (document.getElementById("upload-chunked-results")) {  // still on the Upload page
      window.dash_clientside.set_props("upload-chunked-done", {data: started.id});
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#upload-chunked-start");
    if (!button) { return; }
    var input = document.getElementById("upload-chunked-file");
    if (!input || !input.files.length) { show("Choose a file first.", null); return; }
    button.disabled = true;
    upload(input.files[0]).catch(function (error) {
      show("Not imported: " + error.message, null);
    }).finally(function () { button.disabled = false; });
  });

  new MutationObserver(addPicker).observe(document.documentElement,
                                          {childList: true, subtree: true});
})();
