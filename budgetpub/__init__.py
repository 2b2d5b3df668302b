"""budgetpub: open data from Chinese government budget disclosures. See converter/ and validate/."""

__version__ = "0.1.0"
