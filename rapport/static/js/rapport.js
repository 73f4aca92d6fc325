// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.dataset.autosubmit !== undefined) {
    target.form?.requestSubmit();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  // The question may sit on the form or on the button that submitted it.
  const question = event.submitter?.dataset.confirm || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// A section loaded after the page (core.sections) may hold the element the address points
// at (a redirect to /projects/7/#time): show it once it has arrived.
document.addEventListener("htmx:load", (event) => {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  if (target && event.detail.elt.contains(target)) {
    target.scrollIntoView();
  }
});
// Time zone and currency pickers (core/pickers.py): fill only what the person has not touched.
// A change the person makes marks the field; setting .value here fires no event, so a field
// filled here stays unmarked.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement) {
    target.dataset.touched = "1";
  }
});
function selectIfOffered(select, value) {
  if (!select || select.dataset.touched || !value) return false;
  if (![...select.options].some((option) => option.value === value)) return false;
  select.value = value;
  return true;
}
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    zone = "";
  }
  for (const select of document.querySelectorAll("select[data-browser-timezone]")) {
    if (selectIfOffered(select, zone)) select.dataset.fromBrowser = "1";
  }
});
document.addEventListener("change", (event) => {
  const language = event.target;
  if (!(language instanceof HTMLSelectElement) || !language.dataset.suggest) return;
  const suggestions = JSON.parse(language.dataset.suggest)[language.value] || {};
  const targets = JSON.parse(language.dataset.suggestTargets || "{}");
  for (const [kind, name] of Object.entries(targets)) {
    const select = language.form?.elements.namedItem(name);
    // The browser knows where the person is better than their language does.
    if (select instanceof HTMLSelectElement && !select.dataset.fromBrowser) {
      selectIfOffered(select, suggestions[kind]);
    }
  }
});
// Time-zone search (core/pickers.py): a box before the list keeps only the zones whose name
// holds every word typed ("new york", "bucha"), and selects the first of them.
function zoneWords(text) {
  return text.toLowerCase().replaceAll("_", " ").replaceAll("/", " ");
}
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-search-label]")) {
    const search = document.createElement("input");
    search.type = "search";
    search.className = "zone-search";
    search.placeholder = select.dataset.searchLabel;
    search.setAttribute("aria-label", select.dataset.searchLabel);
    search.setAttribute("aria-controls", select.id);
    select.before(search);
    search.addEventListener("input", () => {
      const words = zoneWords(search.value).split(" ").filter(Boolean);
      let first = null;
      for (const option of select.options) {
        const name = zoneWords(`${option.value} ${option.textContent}`);
        const shown = words.every((word) => name.includes(word));
        option.hidden = !shown;
        if (shown && option.value && !first) first = option;
      }
      if (words.length && first) {
        select.value = first.value;
        select.dataset.touched = "1";
      }
    });
  }
});
// Copy buttons (the de-escalation and client-pattern pages): hidden without JavaScript, where they could not
// work; the text stays selectable in its field either way.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      try {
        await navigator.clipboard.writeText(source.value ?? source.textContent);
      } catch {
        source.select?.();
        document.execCommand("copy");
      }
      button.textContent = button.dataset.copied;
    });
  }
});

// The pulse page (portal/pulse.html): a face clicked in an update email opens the page with that
// face chosen, and it is sent at once, so one click answers. Opening the page records nothing
// by itself: a mail system's link scanner only fetches it, and one that drives a browser says
// so in navigator.webdriver and is left with the visible button (ADR 0033).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-pulse-autosubmit]");
  if (form instanceof HTMLFormElement && !navigator.webdriver) {
    form.requestSubmit();
  }
});
