// redis-patterns console: asks for confirmation before an action on many items and records it in
// the form (the server refuses such an action without it). No other behaviour: pages work without it.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute('data-confirm');
  if (!question) {
    return;
  }
  if (!window.confirm(question)) {
    event.preventDefault();
    return;
  }
  var confirmed = form.querySelector('input[name="confirmed"]');
  if (confirmed) {
    confirmed.value = 'yes';
  }
});
