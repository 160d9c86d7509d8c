"""Non-divulgation of a poursuite (art. 8a al. 3 let. d LP): admissibility, the request's
procedure (fee, interpellation of the creditor, deadline, outcome) and its documents."""
