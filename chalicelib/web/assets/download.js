// Downloading a PDF or a CSV export from a button: whatever goes wrong (the document has none, the
// network, the server) is said to the customer in words, never dropped silently.
import { downloadPdf } from "./api.js";
import { toast } from "./ui.js";

export async function download(path, query, fallbackName, accept = "application/pdf") {
  try {
    return await downloadPdf(path, query, fallbackName, accept);
  } catch (error) {
    const what = accept === "text/csv" ? "CSV file" : "PDF";
    if (!error.sessionEnded) toast(`The ${what} could not be downloaded. ${error.message}`, "error");
    return null;
  }
}
