/* veil protected posts: open the encrypted article with a circle's password.
 *
 * WebCrypto only: PBKDF2-SHA-256 derives a key from the password for each circle's salt;
 * that key unwraps the content key (AES-256-GCM), which opens the article (AES-256-GCM).
 * The payload's header, which names this post's address, is authenticated with both, so
 * a payload copied from another post, or changed in any way, does not open.
 */
(function () {
  "use strict";

  var FORMAT_VERSION = 1;
  var MIN_ITERATIONS = 600000;
  var payloadElement = document.getElementById("veil-payload");
  var article = document.querySelector("[data-protected-article]");
  var form = document.querySelector("[data-unlock]");
  if (!payloadElement || !article || !form || !window.crypto || !window.crypto.subtle) {
    return;
  }
  var status = form.querySelector("[data-unlock-status]");
  var withoutScript = article.querySelector("[data-without-script]");
  if (withoutScript) {
    withoutScript.hidden = true;
  }
  var forget = document.querySelector("[data-unlock-forget]");
  var encoder = new TextEncoder();
  var storageKey = "veil.protected:" + article.getAttribute("data-url");

  function bytes(base64) {
    var binary = atob(base64);
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      out[i] = binary.charCodeAt(i);
    }
    return out;
  }

  function base64(data) {
    var binary = "";
    data.forEach(function (byte) { binary += String.fromCharCode(byte); });
    return btoa(binary);
  }

  function say(message) {
    status.textContent = message;
  }

  var payload;
  var header;
  try {
    payload = JSON.parse(payloadElement.textContent);
    header = JSON.parse(payload.header);
  } catch (error) {
    say("This post cannot be opened: its page is damaged.");
    form.hidden = false;
    return;
  }
  var aad = encoder.encode(payload.header);

  function headerIsSafe() {
    return header.v === FORMAT_VERSION && header.kdf === "PBKDF2" &&
      header.hash === "SHA-256" && Number.isInteger(header.iterations) &&
      header.iterations >= MIN_ITERATIONS &&
      header.url === article.getAttribute("data-url") &&
      Array.isArray(header.salts) && Array.isArray(payload.keys) &&
      header.salts.length === payload.keys.length;
  }

  async function unwrapContentKey(password) {
    var material = await crypto.subtle.importKey(
      "raw", encoder.encode(password.normalize("NFC")), "PBKDF2", false, ["deriveKey"]);
    for (var i = 0; i < payload.keys.length; i += 1) {
      var wrappingKey = await crypto.subtle.deriveKey(
        { name: "PBKDF2", salt: bytes(header.salts[i]), iterations: header.iterations,
          hash: "SHA-256" },
        material, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
      try {
        return new Uint8Array(await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: bytes(payload.keys[i].iv), additionalData: aad },
          wrappingKey, bytes(payload.keys[i].wrapped)));
      } catch (error) {
        // not this circle's password: try the next circle
      }
    }
    return null;
  }

  async function openArticle(rawKey) {
    var key = await crypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["decrypt"]);
    var clear = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(payload.iv), additionalData: aad }, key, bytes(payload.data));
    return JSON.parse(new TextDecoder().decode(clear));
  }

  function show(opened) {
    var parsed = new DOMParser().parseFromString(opened.html, "text/html");
    var fresh = parsed.body.querySelector("article");
    if (!fresh) {
      throw new Error("no article in the payload");
    }
    article.replaceWith(document.adoptNode(fresh));
    document.title = opened.title + " · " + document.title.split(" · ").slice(1).join(" · ");
    var heading = fresh.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }

  async function openWithStoredKey() {
    var stored = null;
    try {
      stored = window.sessionStorage.getItem(storageKey);
    } catch (error) {
      return false;
    }
    if (!stored) {
      return false;
    }
    try {
      show(await openArticle(bytes(stored)));
      forget.hidden = false;
      return true;
    } catch (error) {
      window.sessionStorage.removeItem(storageKey);
      return false;
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var password = form.elements.password.value;
    if (!password) {
      return;
    }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say("Opening…");
    try {
      var rawKey = await unwrapContentKey(password);
      if (rawKey === null) {
        say("That password did not open this post. Check it and try again.");
        form.elements.password.select();
        return;
      }
      var opened = await openArticle(rawKey);
      if (form.elements.remember.checked) {
        try {
          window.sessionStorage.setItem(storageKey, base64(rawKey));
          forget.hidden = false;
        } catch (error) {
          // storage blocked: nothing is remembered, which is the safe side
        }
      }
      show(opened);
    } catch (error) {
      say("This post cannot be opened: its page has been changed or damaged.");
    } finally {
      button.disabled = false;
    }
  });

  forget.querySelector("button").addEventListener("click", function () {
    try {
      window.sessionStorage.removeItem(storageKey);
    } catch (error) {
      // nothing stored
    }
    window.location.reload();
  });

  if (!headerIsSafe()) {
    form.hidden = false;
    form.querySelector("button[type=submit]").disabled = true;
    say("This post cannot be opened safely: its page has been changed.");
    return;
  }
  openWithStoredKey().then(function (opened) {
    if (!opened) {
      form.hidden = false;
    }
  });
})();
