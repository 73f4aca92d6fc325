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
