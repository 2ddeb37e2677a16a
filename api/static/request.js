// The request page's "Print this page" button (a file, not inline code, for the CSP).
var button = document.getElementById("request-print");
if (button) {
  button.addEventListener("click", function () {
    window.print();
  });
}
