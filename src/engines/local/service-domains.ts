// Service domains of support and assistant chats, each a small lexicon of patterns. Shared by the
// topic rules (topics.ts) and the learned topic models' features (chat-features.ts).

export interface Domain {
  name: string;
  /** Strong cues: one user mention is enough. */
  strong: RegExp;
  /** Weak cues: need repetition or support from strong ones. */
  weak?: RegExp;
}

export const DOMAINS: Domain[] = [
  { name: 'restaurant', strong: /\b(?:restaurants?|places? to (?:eat|dine)|somewhere to eat|cuisine|dine|dining|table for \d+|book a table|reservation for \d+|(?:chinese|italian|indian|thai|french|mexican|japanese|korean|british|european|asian|vietnamese|spanish|turkish|lebanese|seafood|vegetarian|vegan|gastropub|steakhouse|pizza|sushi|burger|bistro|cafe|caf[eé]|brasserie) (?:food|restaurant|place|cuisine|dishes|meal)|\bfood\b)/i, weak: /\b(?:lunch|dinner|breakfast|brunch|eat|pizza|sushi|burgers?|menu|meal)\b/i },
  { name: 'hotel', strong: /\b(?:hotels?|guest ?houses?|bed and breakfast|b&b|hostel|motel|place to stay|somewhere to stay|lodging|accommodations?|check[- ]in|check[- ]out)\b/i, weak: /\b(?:stay|nights?|rooms?|free (?:wifi|parking|internet)|star rating|\d[- ]star)\b/i },
  { name: 'attraction', strong: /\b(?:attractions?|museums?|galleries|gallery|theatres?|theaters?|cinemas?|nightclubs?|architecture|churche?s?|colleges?|parks?\b(?! ?ing)|swimming pools?|boats?|punting|entertainment|places? to (?:go|visit|see)|things to do|sights?|sightseeing|tourist|landmarks?|concert halls?|multiple sports|sports (?:centre|center|complex))\b/i, weak: /\b(?:entrance fee|visit|fun places?)\b/i },
  { name: 'train', strong: /\b(?:trains?|railway|rail|tr\d{3,5})\b/i, weak: /\b(?:depart(?:s|ing|ure)?|leav(?:e|es|ing) (?:from|after|at)|arriv(?:e|es|ing) (?:by|at|in)|platform|station)\b/i },
  { name: 'taxi', strong: /\b(?:taxis?|cabs?|taxi service)\b/i, weak: /\b(?:pick (?:me )?up|pickup|contact number|car type)\b/i },
  { name: 'hospital', strong: /\b(?:hospitals?|clinic|emergency room|a&e|(?:paediatric|pediatric|cardiology|oncology|neurology|surgery|maternity|urology|ward)\b.*\bdepartment|department\b.*\b(?:hospital)|medical (?:centre|center))\b/i },
  { name: 'police', strong: /\b(?:police|parkside police|robbed|robbery|stolen|theft|crime|report a (?:crime|theft))\b/i },
  { name: 'flights', strong: /\b(?:flights?|airlines?|airport|fly(?:ing)? (?:to|from|out)|plane tickets?|one[- ]way|round[- ]trip|economy class|business class|boarding)\b/i },
  { name: 'buses', strong: /\b(?:bus(?:es)?|coach(?:es)?|greyhound)\b/i },
  { name: 'ride sharing', strong: /\b(?:ride ?share|shared ride|uber|lyft|cab ride|(?:book|get|need) a ride)\b/i },
  { name: 'rental cars', strong: /\b(?:rental cars?|rent(?:ing)? a car|car rental|hire a car|car hire|pick ?up (?:the )?car|compact car|suv|sedan|standard car)\b/i },
  { name: 'banking', strong: /\b(?:bank|checking account|savings account|account balance|balance|transfer (?:\$|money|funds)|deposit|withdraw|overdraft)\b/i },
  { name: 'payments', strong: /\b(?:payments?|pay (?:my|the|someone|\$)|send (?:\$|money)|venmo|paypal|zelle|invoice|refund|charged|credit card|debit card)\b/i },
  { name: 'music', strong: /\b(?:songs?|(?<!live )music|albums?|playlist|artist|singer|band|play (?:some|the|a) (?:song|track|music))\b/i },
  { name: 'movies', strong: /\b(?:movies?|films?|showtimes?|screening|imax|box office)\b/i },
  { name: 'media', strong: /\b(?:tv shows?|series|episodes?|stream(?:ing)?|netflix|watch (?:online|something)|documentary)\b/i },
  { name: 'events', strong: /\b(?:events?|concerts?|festival|(?:baseball|football|basketball|soccer|hockey) game|match|tickets? (?:to|for) (?:the|a)|show tickets|exhibition|conference|theater show)\b/i },
  { name: 'weather', strong: /\b(?:weather|forecast|temperature|rain(?:ing|y)?|sunny|humidity|snow(?:ing)?|wind(?:y)?|degrees)\b/i },
  { name: 'homes', strong: /\b(?:apartments?|houses? (?:to|for) (?:rent|buy|stay)|property|properties|rent(?:al)? (?:a |an )?(?:home|house|apartment|place)|real estate|bedrooms?|visit (?:the )?(?:house|apartment|property))\b/i },
  { name: 'services', strong: /\b(?:salons?|hair ?(?:cut|dresser|stylist)|stylist|barber|dentists?|doctors?|physician|therapist|appointment)\b/i },
  { name: 'travel', strong: /\b(?:plan(?:ning)? a trip|trip to|vacation|holiday|itinerary|travel (?:plans?|agent|insurance)|tour guide|guided tour)\b/i },
  { name: 'calendar', strong: /\b(?:calendar|schedule (?:an? )?(?:event|meeting)|reminder|set (?:an? )?alarm|alarms?)\b/i },
  { name: 'shopping', strong: /\b(?:order(?:ed)? (?:a|an|the|my)|delivery|shipping|package|purchase|return (?:an? |the |my )?(?:item|order|product)|cart|checkout)\b/i },
  { name: 'account', strong: /\b(?:log ?in|password|sign ?in|username|account (?:locked|access)|reset (?:my )?password|two-factor|2fa)\b/i },
  { name: 'technical support', strong: /\b(?:error|bug|crash(?:es|ed|ing)?|not working|doesn't work|won't (?:load|start|open)|install(?:ation)?|update failed|outage)\b/i },
];
