// Losses module
