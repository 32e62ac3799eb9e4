import { replace, pageHeader, empty } from "../ui.js";

const soon = ({ main }) => replace(main, pageHeader("Coming soon"), empty("Not available yet", "This screen is on its way."));
export const list = soon, detail = soon, change = soon, show = soon, receipt = soon;
