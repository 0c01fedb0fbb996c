/**
 * Static reference tables the generated tenant draws from. Codes and labels follow the v3
 * doc samples where one exists (GASXX/Fuel/Gas, LODTX/Hotel Tax/LODGA, "Sent for Payment").
 */

export const FIRST_NAMES = [
  'Alex', 'Jamie', 'Morgan', 'Taylor', 'Jordan', 'Casey', 'Riley', 'Avery', 'Quinn', 'Harper',
  'Maria', 'Wei', 'Priya', 'Lukas', 'Sofia', 'Mateo', 'Aiko', 'Olivia', 'Noah', 'Emma',
  'Liam', 'Chloe', 'Ethan', 'Zoe', 'Ravi', 'Ingrid', 'Omar', 'Fatima', 'Hugo', 'Elena',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Garcia', 'Chen', 'Patel', 'Müller', 'Rossi', 'Dubois', 'Kowalski', 'Nguyen',
  'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Martin', 'Lopez', 'Wilson', 'Anderson', 'Thomas',
  'Tanaka', 'Schmidt', "O'Brien", 'Novak', 'Silva', 'Kim', 'Clark', 'Lewis', 'Walker', 'Young',
] as const;

export const TITLES = [
  'Account Executive', 'Sales Manager', 'Software Engineer', 'Product Manager', 'Consultant',
  'Director of Finance', 'Marketing Specialist', 'Solutions Architect', 'Regional Manager', 'Analyst',
] as const;

export const CLIENT_COMPANIES = [
  'Northwind Traders', 'Contoso Ltd', 'Fabrikam Inc', 'Adventure Works', 'Tailspin Toys',
  'Wingtip Partners', 'Litware Inc', 'Proseware', 'Woodgrove Bank', 'Blue Yonder Airlines',
] as const;

export const COMPANY_NAME = 'Simulated Company Inc';

export interface Country {
  readonly code: string;
  readonly subdivision: string;
  readonly currency: string;
  readonly distanceUnit: 'M' | 'K';
  readonly mileageRateCents: number;
}

/** Home countries of users; weights below give a mostly-US company with a few subsidiaries. */
export const COUNTRIES: readonly Country[] = [
  { code: 'US', subdivision: 'US-WA', currency: 'USD', distanceUnit: 'M', mileageRateCents: 67 },
  { code: 'US', subdivision: 'US-NY', currency: 'USD', distanceUnit: 'M', mileageRateCents: 67 },
  { code: 'US', subdivision: 'US-CA', currency: 'USD', distanceUnit: 'M', mileageRateCents: 67 },
  { code: 'CA', subdivision: 'CA-BC', currency: 'CAD', distanceUnit: 'K', mileageRateCents: 70 },
  { code: 'GB', subdivision: 'GB-ENG', currency: 'GBP', distanceUnit: 'M', mileageRateCents: 45 },
  { code: 'DE', subdivision: 'DE-BE', currency: 'EUR', distanceUnit: 'K', mileageRateCents: 30 },
];
export const COUNTRY_WEIGHTS = [30, 20, 20, 10, 10, 10] as const;

export interface City {
  readonly name: string;
  readonly subdivision: string;
  readonly country: string;
  readonly currency: string;
}

export const CITIES: readonly City[] = [
  { name: 'Seattle, Washington', subdivision: 'US-WA', country: 'US', currency: 'USD' },
  { name: 'New York, New York', subdivision: 'US-NY', country: 'US', currency: 'USD' },
  { name: 'San Francisco, California', subdivision: 'US-CA', country: 'US', currency: 'USD' },
  { name: 'Chicago, Illinois', subdivision: 'US-IL', country: 'US', currency: 'USD' },
  { name: 'Austin, Texas', subdivision: 'US-TX', country: 'US', currency: 'USD' },
  { name: 'Boston, Massachusetts', subdivision: 'US-MA', country: 'US', currency: 'USD' },
  { name: 'Vancouver, British Columbia', subdivision: 'CA-BC', country: 'CA', currency: 'CAD' },
  { name: 'Montreal, Quebec', subdivision: 'CA-QC', country: 'CA', currency: 'CAD' },
  { name: 'Toronto, Ontario', subdivision: 'CA-ON', country: 'CA', currency: 'CAD' },
  { name: 'London, England', subdivision: 'GB-ENG', country: 'GB', currency: 'GBP' },
  { name: 'Edinburgh, Scotland', subdivision: 'GB-SCT', country: 'GB', currency: 'GBP' },
  { name: 'Berlin', subdivision: 'DE-BE', country: 'DE', currency: 'EUR' },
  { name: 'Munich, Bavaria', subdivision: 'DE-BY', country: 'DE', currency: 'EUR' },
  { name: 'Paris, Ile-de-France', subdivision: 'FR-IDF', country: 'FR', currency: 'EUR' },
  { name: 'Tokyo', subdivision: 'JP-13', country: 'JP', currency: 'JPY' },
];

/** Value of one unit of each currency in USD (fixed; each entry adds a small jitter). */
export const USD_VALUE: Readonly<Record<string, number>> = {
  USD: 1,
  CAD: 0.74,
  GBP: 1.27,
  EUR: 1.09,
  JPY: 0.0067,
};

/** Currencies without minor units are rounded to whole units. */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['JPY']);

export interface ExpenseType {
  readonly code: string;
  readonly name: string;
  readonly spendCode: string;
  readonly spendName: string;
  /** Amount range in major units of the transaction currency (USD-equivalent). */
  readonly min: number;
  readonly max: number;
  readonly weight: number;
  readonly vendors: readonly string[];
  readonly accountCode: string;
  readonly attendees: boolean;
  readonly lodging: boolean;
  readonly mileage: boolean;
}

export const EXPENSE_TYPES: readonly ExpenseType[] = [
  { code: 'AIRFR', name: 'Airfare', spendCode: 'AIRFR', spendName: 'Airfare', min: 120, max: 1400, weight: 8, vendors: ['Alaska Airlines', 'Delta Air Lines', 'United Airlines', 'Lufthansa', 'British Airways'], accountCode: '6110', attendees: false, lodging: false, mileage: false },
  { code: 'LODNG', name: 'Hotel', spendCode: 'LODGA', spendName: 'Lodging - Track Room Rate Spending', min: 140, max: 1100, weight: 9, vendors: ['Marriott', 'Hilton', 'Hyatt', 'Holiday Inn', 'Westin'], accountCode: '6120', attendees: false, lodging: true, mileage: false },
  { code: 'CARRT', name: 'Car Rental', spendCode: 'CARRT', spendName: 'Car Rental', min: 45, max: 480, weight: 4, vendors: ['Hertz', 'Avis', 'Enterprise', 'Sixt'], accountCode: '6130', attendees: false, lodging: false, mileage: false },
  { code: 'TAXIX', name: 'Taxi', spendCode: 'GRTRN', spendName: 'Ground Transportation', min: 9, max: 95, weight: 10, vendors: ['Yellow Cab', 'Uber', 'Lyft', 'FreeNow'], accountCode: '6140', attendees: false, lodging: false, mileage: false },
  { code: 'PARKG', name: 'Parking', spendCode: 'GRTRN', spendName: 'Ground Transportation', min: 5, max: 60, weight: 4, vendors: ['Impark', 'SP+ Parking', 'Airport Parking'], accountCode: '6140', attendees: false, lodging: false, mileage: false },
  { code: 'GASXX', name: 'Fuel', spendCode: 'GASXX', spendName: 'Gas', min: 20, max: 110, weight: 3, vendors: ['Chevron', 'Shell', 'BP', 'Aral'], accountCode: '6150', attendees: false, lodging: false, mileage: false },
  { code: 'MILEG', name: 'Personal Car Mileage', spendCode: 'MILEG', spendName: 'Mileage', min: 0, max: 0, weight: 4, vendors: [], accountCode: '6150', attendees: false, lodging: false, mileage: true },
  { code: 'BRKFT', name: 'Breakfast', spendCode: 'MEALS', spendName: 'Meals', min: 8, max: 40, weight: 7, vendors: ['Starbucks', 'Le Pain Quotidien', 'Hotel Restaurant'], accountCode: '6210', attendees: false, lodging: false, mileage: false },
  { code: 'LUNCH', name: 'Lunch', spendCode: 'MEALS', spendName: 'Meals', min: 10, max: 60, weight: 8, vendors: ['Chipotle', 'Pret A Manger', 'Panera Bread', 'Local Bistro'], accountCode: '6210', attendees: false, lodging: false, mileage: false },
  { code: 'DINNR', name: 'Dinner', spendCode: 'MEALS', spendName: 'Meals', min: 18, max: 120, weight: 8, vendors: ['The Capital Grille', 'Olive Garden', 'Nobu', 'Local Trattoria'], accountCode: '6210', attendees: false, lodging: false, mileage: false },
  { code: 'BUSML', name: 'Business Meal (attendees)', spendCode: 'BUSML', spendName: 'Business Meals', min: 40, max: 650, weight: 7, vendors: ['The Capital Grille', 'Ruth\'s Chris', 'Morton\'s', 'Canlis'], accountCode: '6220', attendees: true, lodging: false, mileage: false },
  { code: 'ENTMT', name: 'Entertainment', spendCode: 'ENTER', spendName: 'Entertainment', min: 50, max: 900, weight: 3, vendors: ['Topgolf', 'Live Nation', 'Dave & Buster\'s'], accountCode: '6230', attendees: true, lodging: false, mileage: false },
  { code: 'TRAIN', name: 'Train', spendCode: 'GRTRN', spendName: 'Ground Transportation', min: 15, max: 220, weight: 3, vendors: ['Amtrak', 'Deutsche Bahn', 'Eurostar', 'VIA Rail'], accountCode: '6140', attendees: false, lodging: false, mileage: false },
  { code: 'OFCSP', name: 'Office Supplies', spendCode: 'OFFIC', spendName: 'Office Supplies', min: 5, max: 150, weight: 3, vendors: ['Staples', 'Office Depot', 'Amazon'], accountCode: '6310', attendees: false, lodging: false, mileage: false },
  { code: 'CELLT', name: 'Mobile/Cellular Phone', spendCode: 'TELEC', spendName: 'Telecommunications', min: 30, max: 160, weight: 3, vendors: ['Verizon', 'AT&T', 'Vodafone', 'T-Mobile'], accountCode: '6320', attendees: false, lodging: false, mileage: false },
  { code: 'ONLIN', name: 'Online Fees', spendCode: 'OTHER', spendName: 'Other', min: 3, max: 80, weight: 2, vendors: ['Gogo Inflight', 'Boingo', 'Zoom'], accountCode: '6330', attendees: false, lodging: false, mileage: false },
  { code: 'SEMNR', name: 'Seminar/Course Fees', spendCode: 'EDUCA', spendName: 'Education', min: 90, max: 1500, weight: 1, vendors: ['O\'Reilly', 'Coursera', 'Local Chamber of Commerce'], accountCode: '6410', attendees: false, lodging: false, mileage: false },
];
export const EXPENSE_TYPE_WEIGHTS: readonly number[] = EXPENSE_TYPES.map((t) => t.weight);

/** Itemization lines of a hotel folio (doc sample: LODTX / Hotel Tax / LODGA). */
export const LODGING_ROOM = { code: 'LODNG', name: 'Hotel', spendCode: 'LODGA', spendName: 'Lodging - Track Room Rate Spending' } as const;
export const LODGING_TAX = { code: 'LODTX', name: 'Hotel Tax', spendCode: 'LODGA', spendName: 'Lodging - Track Room Rate Spending' } as const;

export interface PaymentType {
  readonly name: string;
  readonly companyCard: boolean;
  readonly personalCard: boolean;
  readonly reimbursable: boolean;
}

export const PAYMENT_TYPES: readonly PaymentType[] = [
  { name: 'Cash', companyCard: false, personalCard: false, reimbursable: true },
  { name: 'American Express Corporate', companyCard: true, personalCard: false, reimbursable: false },
  { name: 'Personal Card', companyCard: false, personalCard: true, reimbursable: true },
  { name: 'Company Paid', companyCard: false, personalCard: false, reimbursable: false },
];
export const PAYMENT_CASH = 0;
export const PAYMENT_COMPANY_CARD = 1;
export const PAYMENT_PERSONAL_CARD = 2;
export const PAYMENT_COMPANY_PAID = 3;

/**
 * Report lifecycle states: approval + payment status pairs (codes from the v3 reports doc;
 * P_PAID is labelled "Sent for Payment" in the doc sample).
 */
export interface LifecycleState {
  readonly approvalCode: string;
  readonly approvalName: string;
  readonly paymentCode: string;
  readonly paymentName: string;
  readonly submitted: boolean;
  readonly processing: boolean;
  readonly paid: boolean;
  readonly awaitingApprover: boolean;
  readonly sentBack: boolean;
  readonly weight: number;
}

export const LIFECYCLE: readonly LifecycleState[] = [
  { approvalCode: 'A_NOTF', approvalName: 'Not Submitted', paymentCode: 'P_NOTP', paymentName: 'Not Paid', submitted: false, processing: false, paid: false, awaitingApprover: false, sentBack: false, weight: 12 },
  { approvalCode: 'A_PEND', approvalName: 'Submitted & Pending Approval', paymentCode: 'P_NOTP', paymentName: 'Not Paid', submitted: true, processing: false, paid: false, awaitingApprover: true, sentBack: false, weight: 10 },
  { approvalCode: 'A_RESU', approvalName: 'Sent Back to Employee', paymentCode: 'P_NOTP', paymentName: 'Not Paid', submitted: true, processing: false, paid: false, awaitingApprover: false, sentBack: true, weight: 3 },
  { approvalCode: 'A_EXTV', approvalName: 'Pending External Validation', paymentCode: 'P_NOTP', paymentName: 'Not Paid', submitted: true, processing: false, paid: false, awaitingApprover: true, sentBack: false, weight: 2 },
  { approvalCode: 'A_PBDG', approvalName: 'Pending Budget Approval', paymentCode: 'P_NOTP', paymentName: 'Not Paid', submitted: true, processing: false, paid: false, awaitingApprover: true, sentBack: false, weight: 2 },
  { approvalCode: 'A_ACCO', approvalName: 'Approved & In Accounting Review', paymentCode: 'P_NOTP', paymentName: 'Not Paid', submitted: true, processing: false, paid: false, awaitingApprover: true, sentBack: false, weight: 4 },
  { approvalCode: 'A_APPR', approvalName: 'Approved', paymentCode: 'P_PROC', paymentName: 'Processing Payment', submitted: true, processing: true, paid: false, awaitingApprover: false, sentBack: false, weight: 8 },
  { approvalCode: 'A_APPR', approvalName: 'Approved', paymentCode: 'P_HOLD', paymentName: 'Payment Hold', submitted: true, processing: true, paid: false, awaitingApprover: false, sentBack: false, weight: 2 },
  { approvalCode: 'A_APPR', approvalName: 'Approved', paymentCode: 'P_PAID', paymentName: 'Sent for Payment', submitted: true, processing: true, paid: true, awaitingApprover: false, sentBack: false, weight: 45 },
  { approvalCode: 'A_APPR', approvalName: 'Approved', paymentCode: 'P_PAYC', paymentName: 'Payment Confirmed', submitted: true, processing: true, paid: true, awaitingApprover: false, sentBack: false, weight: 12 },
];
export const LIFECYCLE_WEIGHTS: readonly number[] = LIFECYCLE.map((s) => s.weight);
/** State of reports created through /_sim/mutate. */
export const LIFECYCLE_NEW = 0;

export const DEPARTMENTS = [
  { code: 'SALES', name: 'Sales' },
  { code: 'ENG', name: 'Engineering' },
  { code: 'MKTG', name: 'Marketing' },
  { code: 'FIN', name: 'Finance' },
  { code: 'OPS', name: 'Operations' },
  { code: 'CS', name: 'Customer Success' },
] as const;

export const COST_CENTERS = [
  { code: 'CC-1100', name: 'Corporate' },
  { code: 'CC-2100', name: 'Field Sales' },
  { code: 'CC-3100', name: 'Research & Development' },
  { code: 'CC-4100', name: 'Marketing Programs' },
  { code: 'CC-5100', name: 'Professional Services' },
] as const;

export const PROJECTS = [
  { code: 'PRJ-ATLAS', name: 'Atlas Rollout' },
  { code: 'PRJ-BOREAL', name: 'Boreal Migration' },
  { code: 'PRJ-CIRRUS', name: 'Cirrus Launch' },
  { code: 'PRJ-DELTA', name: 'Delta Renewal' },
] as const;

export const REPORT_PURPOSES = [
  'Client Visit', 'Sales Conference', 'Team Offsite', 'Customer Onboarding', 'Partner Summit',
  'Trade Show', 'Training', 'Quarterly Business Review', 'Site Inspection', 'Recruiting Trip',
] as const;

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export const REPORT_COMMENTS = [
  'Receipts attached.', 'Please approve by Friday.', 'Missing hotel folio, will upload.',
  'Split dinner with the client team.', 'Approved per travel policy.', 'Corrected the taxi amount.',
] as const;

export const ENTRY_DESCRIPTIONS = [
  'Client meeting', 'Airport transfer', 'Conference travel', 'Team dinner', 'Working lunch',
  'Hotel stay', 'Train to client site', 'Supplies for workshop',
] as const;

export const ATTENDEE_TYPES = [
  { code: 'EMPLOYEE', name: 'Employee' },
  { code: 'BUSGUEST', name: 'Business Guest' },
] as const;
