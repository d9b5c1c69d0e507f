// The bidding room's bid buttons. A click is answered with what the browser shows at that moment: the next valid
// price and the increment written on the button (data-next, data-increment) and the multiple typed in the field.
// Blazor routes a click on a button of an older render to the newest render's handler, so a server-side handler
// would bid the price of a render the user may not have seen yet (a higher one, if someone bid meanwhile); the page
// bids the price the user saw instead, and the server refuses it as below the next valid price if it no longer is.
export function attach(lotId, room) {
  const onClick = e => {
    const button = e.target instanceof Element ? e.target.closest('[data-bid]') : null;
    const container = button ? button.closest('[data-bid-room]') : null;
    if (!container || container.getAttribute('data-bid-room') !== lotId) {
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    if (button.disabled) {
      return;
    }
    const field = container.querySelector('input[data-testid=multiple], [data-testid=multiple] input');
    room.invokeMethodAsync('BidAsShown', button.getAttribute('data-bid') || '', button.getAttribute('data-next') || '',
      button.getAttribute('data-increment') || '', field ? field.value : '');
  };
  document.addEventListener('click', onClick, true);
  return { dispose: () => document.removeEventListener('click', onClick, true) };
}
