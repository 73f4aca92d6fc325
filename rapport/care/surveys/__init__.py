"""At the close of a project (P33, P34): thank-you and satisfaction survey, testimonials,
portfolio permission and the promotion log (docs/surveys.md, ADR 0034)."""
