/* veil reader safety: quick exit and warning preferences.
 *
 * Everything here is optional: without JavaScript every warning asks first and the exit
 * button is an ordinary link. Preferences live in localStorage on this device only; this
 * script never makes a request (the page's Content-Security-Policy forbids it anyway).
 */
(function () {
  "use strict";

  var STORAGE_KEY = "veil.warning-preferences";
  var CHOICES = ["ask", "show", "hide"];
  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 2000;

  function loadPreferences() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (error) {
      return {};
    }
  }

  function savePreferences(preferences) {
    try {
      if (Object.keys(preferences).length === 0) {
        window.localStorage.removeItem(STORAGE_KEY);
      } else {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(preferences));
      }
      return true;
    } catch (error) {
      return false; // storage blocked: the choice lasts for this page only
    }
  }

  function choiceFor(preferences, term) {
    var choice = preferences[term];
    return CHOICES.indexOf(choice) >= 0 ? choice : "ask";
  }

  function termsOf(element) {
    var value = element.getAttribute("data-warnings");
    return value ? value.split("|") : [];
  }

  /* Quick exit: blank the page at once, then replace this page in the history with a
   * neutral site, so that Back does not return here. */
  function setUpQuickExit() {
    var link = document.querySelector("[data-quick-exit]");
    if (!link) {
      return;
    }
    var hint = link.querySelector(".quick-exit-hint");
    if (hint) {
      hint.hidden = false;
    }
    var leave = function () {
      document.documentElement.style.visibility = "hidden";
      document.title = "";
      window.location.replace(link.href);
    };
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Shift" || event.repeat) {
        return;
      }
      var now = Date.now();
      presses = presses.filter(function (time) { return now - time < SHIFT_WINDOW_MS; });
      presses.push(now);
      if (presses.length >= SHIFT_PRESSES) {
        leave();
      }
    });
  }

  /* A warning opens by itself only when the reader chose "show" for every one of its terms. */
  function openChosenWarnings(preferences) {
    var gates = document.querySelectorAll("details[data-warnings]");
    Array.prototype.forEach.call(gates, function (gate) {
      var terms = termsOf(gate);
      var allShown = terms.length > 0 && terms.every(function (term) {
        return choiceFor(preferences, term) === "show";
      });
      if (allShown) {
        gate.open = true;
      }
    });
  }

  function hideChosenEntries(preferences) {
    var lists = document.querySelectorAll("[data-listing]");
    if (lists.length === 0) {
      return;
    }
    var hidden = [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-listing] [data-entry]"),
      function (entry) {
        var hide = termsOf(entry).some(function (term) {
          return choiceFor(preferences, term) === "hide";
        });
        if (hide) {
          entry.hidden = true;
          hidden.push(entry);
        }
      });
    if (hidden.length === 0) {
      return;
    }
    var note = document.createElement("p");
    note.className = "hidden-note";
    note.setAttribute("data-hidden-note", "");
    var text = document.createElement("span");
    text.textContent = hidden.length === 1
      ? "1 post hidden by your preferences. "
      : hidden.length + " posts hidden by your preferences. ";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = hidden.length === 1 ? "Show it" : "Show them";
    button.addEventListener("click", function () {
      hidden.forEach(function (entry) { entry.hidden = false; });
      note.remove();
      var firstLink = hidden[0].querySelector("a");
      if (firstLink) {
        firstLink.focus();
      }
    });
    note.appendChild(text);
    note.appendChild(button);
    lists[0].parentNode.insertBefore(note, lists[0]);
  }

  function setUpPreferencesForm(preferences) {
    var form = document.querySelector("[data-preferences]");
    if (!form) {
      return;
    }
    var status = form.querySelector("[data-preferences-status]");
    var radios = form.querySelectorAll("input[type=radio][data-term]");
    var show = function () {
      Array.prototype.forEach.call(radios, function (radio) {
        radio.checked = choiceFor(preferences, radio.getAttribute("data-term")) === radio.value;
      });
    };
    var say = function (message) {
      if (status) {
        status.textContent = message;
      }
    };
    form.hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll("[data-without-script]"),
      function (notice) { notice.hidden = true; });
    show();
    form.addEventListener("change", function (event) {
      var radio = event.target;
      var term = radio.getAttribute("data-term");
      if (!term) {
        return;
      }
      if (radio.value === "ask") {
        delete preferences[term];
      } else {
        preferences[term] = radio.value;
      }
      say(savePreferences(preferences)
        ? "Saved in this browser."
        : "This browser does not let the site keep your choice; it lasts until you leave.");
    });
    var reset = form.querySelector("[data-preferences-reset]");
    if (reset) {
      reset.addEventListener("click", function () {
        Object.keys(preferences).forEach(function (term) { delete preferences[term]; });
        savePreferences(preferences);
        show();
        say("All warnings ask first again.");
      });
    }
  }

  var preferences = loadPreferences();
  setUpQuickExit();
  openChosenWarnings(preferences);
  hideChosenEntries(preferences);
  setUpPreferencesForm(preferences);
})();
