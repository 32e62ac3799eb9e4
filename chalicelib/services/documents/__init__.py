"""The customer's documents: invoices and credit notes raised and shown, PDFs, statements of accounts,
estimates and timesheets to approve, forwarding; and the merchant's back office for them."""
