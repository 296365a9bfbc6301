'use strict';
// Writes the sample invoices the demo uses (examples/invoices/*.pdf). Each is a real, small PDF
// whose `%SANDBOX` line tells the local Nanonets sandbox what to "extract" from it.
const fs = require('node:fs');
const path = require('node:path');

const { makePdf } = require('../test/fixtures/files');

const invoices = [
	{
		file: 'acme-office-supplies.pdf',
		seller: 'Acme Office Supplies',
		number: 'INV-2026-0412',
		date: '2026-11-03',
		rows: [
			['A4 paper, 5 reams', '4', '23.50'],
			['Toner cartridge', '2', '89.00'],
			['Stapler', '1', '12.90'],
		],
	},
	{
		file: 'northwind-logistics.pdf',
		seller: 'Northwind Logistics',
		number: 'NW-88213',
		date: '2026-11-07',
		pages: 2,
		rows: [
			['Pallet freight Berlin-Hamburg', '3', '145.00'],
			['Express surcharge', '1', '60.00'],
			['Insurance', '1', '18.75'],
			['Loading fee', '3', '15.00'],
		],
	},
	{
		file: 'blue-harbor-catering.pdf',
		seller: 'Blue Harbor Catering',
		number: 'BHC-1107',
		date: '2026-11-12',
		rows: [
			['Lunch buffet, 24 people', '24', '18.50'],
			['Coffee service', '1', '45.00'],
		],
	},
];

function build(invoice) {
	const rows = invoice.rows.map(([description, quantity, price]) => [
		description,
		quantity,
		Number(price).toFixed(2),
		(Number(quantity) * Number(price)).toFixed(2),
	]);
	const total = rows.reduce((sum, row) => sum + Number(row[3]), 0).toFixed(2);
	const spec = {
		fields: { invoice_number: invoice.number, invoice_date: invoice.date, seller_name: invoice.seller, total_amount: total },
		rows,
	};
	return makePdf({
		pages: invoice.pages ?? 1,
		spec,
		title: `${invoice.seller} - Invoice ${invoice.number}`,
		lines: [`Date: ${invoice.date}`, ...rows.map((row) => row.join('  ')), `Total: ${total}`],
	});
}

if (require.main === module) {
	const folder = path.join(__dirname, '..', 'examples', 'invoices');
	fs.mkdirSync(folder, { recursive: true });
	for (const invoice of invoices) {
		fs.writeFileSync(path.join(folder, invoice.file), build(invoice));
		console.log(`wrote examples/invoices/${invoice.file}`);
	}
}

module.exports = { invoices, build };
