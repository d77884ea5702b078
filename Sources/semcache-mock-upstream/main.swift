print("semcache-mock-upstream")
