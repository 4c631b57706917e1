"""Jobs: the catalogue of categories and skills (jobs themselves come with the jobs issue)."""
